using System.Text.Json;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// Runs <c>kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes</c> back to back until disposed. A request counts
/// as failed when kubectl fails or a node is missing, and as a success otherwise; every node timestamp seen is kept,
/// so a test can wait for scrapes that happened after some moment. Every wait fails the test when time runs out.
/// </summary>
public sealed class KubectlLoop : IAsyncDisposable
{
    private readonly Kubectl _kubectl;
    private readonly int _nodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, SortedSet<DateTimeOffset>> _timestamps = new(StringComparer.Ordinal);
    private readonly Task _running;
    private readonly List<int> _succeeded = [];
    private int _requests;
    private int _started;

    public KubectlLoop(Kubectl kubectl, int nodes)
    {
        _kubectl = kubectl;
        _nodes = nodes;
        _running = Task.Run(RunAsync);
    }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests that served every node.</summary>
    public int Successes
    {
        get { lock (_gate) return _succeeded.Count; }
    }

    public IReadOnlyList<string> Failures
    {
        get { lock (_gate) return [.. _failures]; }
    }

    /// <summary>The latest timestamp served for each node so far.</summary>
    public Dictionary<string, DateTimeOffset> Latest()
    {
        lock (_gate)
            return _timestamps.ToDictionary(p => p.Key, p => p.Value.Max, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until each of <paramref name="nodes"/> has been served with at least <paramref name="count"/> timestamps
    /// later than <paramref name="after"/> (each one a scrape that succeeded after that moment); false when time runs out.
    /// </summary>
    public async Task<bool> WaitForScrapesAfterAsync(IEnumerable<string> nodes, DateTimeOffset after, int count, TimeSpan timeout)
    {
        var names = nodes.ToArray();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (names.All(n => _timestamps.TryGetValue(n, out var seen) && seen.Count(t => t > after) >= count))
                    return true;
            }
            await Task.Delay(250);
        }
        return false;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> requests started after this call have served every node (the one in
    /// flight does not count); throws <see cref="TimeoutException"/>, with the failures so far, when they have not
    /// within <paramref name="timeout"/>. Answers how many such requests succeeded.
    /// </summary>
    public async Task<int> WaitForSuccessesAsync(int count, TimeSpan timeout)
    {
        var after = Volatile.Read(ref _started);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var succeeded = SucceededAfter(after);
            if (succeeded >= count)
                return succeeded;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{succeeded} of {count} requests served every node within {timeout.TotalSeconds} s; "
                    + $"failures so far:\n{string.Join("\n", Failures)}");
            }
            await Task.Delay(100);
        }
    }

    private int SucceededAfter(int ordinal)
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var o in _succeeded)
                count += o > ordinal ? 1 : 0;
            return count;
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var ordinal = Interlocked.Increment(ref _started);
            var result = await _kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
            Record(result, ordinal);
            Interlocked.Increment(ref _requests);
            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed: the request in flight has been counted.
            }
        }
    }

    private void Record(CommandResult result, int ordinal)
    {
        var served = result.ExitCode == 0 ? Parse(result.Output) : [];
        lock (_gate)
        {
            if (result.ExitCode != 0 || served.Count < _nodes)
                _failures.Add($"{DateTime.UtcNow:HH:mm:ss.fff} exit {result.ExitCode}, {served.Count} nodes: {result.Output}");
            else
                _succeeded.Add(ordinal);
            foreach (var (node, timestamp) in served)
            {
                if (!_timestamps.TryGetValue(node, out var seen))
                    _timestamps[node] = seen = [];
                seen.Add(timestamp);
            }
        }
    }

    private static Dictionary<string, DateTimeOffset> Parse(string output)
    {
        var served = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var start = output.IndexOf('{', StringComparison.Ordinal);
        if (start < 0)
            return served;
        try
        {
            using var json = JsonDocument.Parse(output[start..]);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
                served[item.GetProperty("metadata").GetProperty("name").GetString()!] = item.GetProperty("timestamp").GetDateTimeOffset();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            served.Clear();
        }
        return served;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // kubectl has its own 60 s deadline, so this wait is bounded too.
        await _running;
        _stop.Dispose();
    }
}
