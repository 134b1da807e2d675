using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// One scrape cycle over many nodes: every node's request starts within the cycle's first seconds
/// (spread by jitter, the nodes that failed the last cycle after the others), all run at once as async I/O, those that need
/// a new connection admitted a bounded number at a time (<see cref="ScrapeOptions.MaxNewConnections"/>), parses share a bound of
/// one per core, every node has the same deadline (the cycle start plus the kubelet timeout), and every node's outcome is a value.
/// </summary>
/// <remarks>
/// A waiting request holds no thread, buffer or parser, so a hung or black-holed kubelet costs a socket
/// and a few hundred bytes, and never delays a healthy node: nothing queues behind it.
/// Not reentrant: one cycle at a time. The batches referenced by a cycle's results are owned by the
/// scraper and stay valid until the next <see cref="ScrapeAsync"/> call; storage copies what it keeps.
/// </remarks>
public sealed class Scraper : INodeScraper
{
    private const string CycleEnded = "scrape cycle deadline exceeded before the node was scraped";

    private readonly KubeletClient _client;
    private readonly NodeTargetResolver _resolver;
    private readonly ScrapeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ParserSlotPool _parsers = new();
    private readonly KubeletSourceTracker _sources;
    private readonly string _timeoutText;

    // Parsing is the only CPU work of a scrape: at most one parse per core runs, so a burst of bodies
    // arriving together waits here asynchronously instead of blocking pool threads on the slot locks.
    private readonly SemaphoreSlim _parseGate = new(Environment.ProcessorCount, Environment.ProcessorCount);

    // Nodes whose last scrape failed start after the others. In a mass outage most of them hang again, and their
    // TLS handshakes (on both ends) would otherwise compete with the healthy nodes' handshakes and parses in the
    // cycle's first seconds. Kept between cycles, cleared and refilled at each end: no allocation once sized.
    private readonly HashSet<string> _failedLastCycle = new(StringComparer.Ordinal);

    // Nodes whose latest request got an answer, so a kept-alive connection most likely waits for them; every other node needs a
    // new connection and its TLS handshake, and is admitted through _newConnectionGate. Updated per node, not refilled: a
    // start-up scrape or a replica's share asks only some nodes, and must not make the others look new. Deleted nodes' names
    // stay until the set outgrows twice the largest node list seen, when it starts again (one cycle of admitted handshakes).
    private readonly HashSet<string> _answered = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _newConnectionGate;
    private int _largestCycle;

    public Scraper(KubeletClient client, ScrapeOptions options, TimeProvider time, ILogger? logger = null)
    {
        _client = client;
        _options = options;
        _resolver = new NodeTargetResolver(options);
        _sources = new KubeletSourceTracker(options.ResourceRetryCycles);
        _timeoutText = Configuration.GoDuration.Format(options.RequestTimeout);
        _newConnectionGate = new SemaphoreSlim(options.MaxNewConnections, options.MaxNewConnections);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Each node's start jitter as a fraction of its window, in [0, 1); tests fix it to place starts exactly.</summary>
    internal Func<double> NextJitter { get; set; } = Random.Shared.NextDouble;

    /// <summary>Parsers created so far: at most one per core, each caching the names of its share of the nodes.</summary>
    internal int ParserCount => _parsers.Count;

    /// <summary>Nodes scraped through the Summary API because their kubelet has no /metrics/resource (<see cref="KubeletMetricsSource.Auto"/>).</summary>
    public int SummaryFallbackNodes => _sources.SummaryNodes;

    /// <summary>
    /// Scrapes <paramref name="nodes"/>; result i belongs to node i. Never throws for a node's failure;
    /// when <paramref name="cycleToken"/> fires, unfinished nodes come back as errors.
    /// </summary>
    public async Task<NodeScrapeResult[]> ScrapeAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cycleToken)
    {
        var results = new NodeScrapeResult[nodes.Count];
        if (nodes.Count == 0)
            return results;
        var started = _time.GetTimestamp();
        _parsers.BeginCycle();
        _sources.BeginCycle();

        // One deadline for every node, counted from the cycle start (upstream counts it from the node's own
        // start after its jitter): a node that starts late gets less time, never a later end, so a cycle of
        // hung kubelets ends at start + timeout and the healthy ones never wait for them.
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cycleToken, timeout.Token);
        var spreadMs = _options.StartSpreadMs(nodes.Count);
        var deferredSpreadMs = _options.DeferredStartSpreadMs(nodes.Count);
        var tasks = new Task[nodes.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            var delayMs = _failedLastCycle.Contains(nodes[i].Name)
                ? spreadMs + 1 + NextJitter() * deferredSpreadMs
                : NextJitter() * spreadMs;
            tasks[i] = ScrapeSlotAsync(nodes, i, results, delayMs, timeout.Token, deadline.Token);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var failed = FillUnscraped(nodes, results);
        Remember(results);
        _logger.CycleDone(_time.GetElapsedTime(started).TotalMilliseconds, nodes.Count, failed);
        return results;
    }

    private static int FillUnscraped(IReadOnlyList<NodeInfo> nodes, NodeScrapeResult[] results)
    {
        var failed = 0;
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].NodeName is null)
                results[i] = new NodeScrapeResult(nodes[i].Name, null, CycleEnded, 0, ScrapeFailureReason.Timeout);
            if (!results[i].Succeeded)
                failed++;
        }
        return failed;
    }

    private void Remember(NodeScrapeResult[] results)
    {
        _failedLastCycle.Clear();
        _largestCycle = Math.Max(_largestCycle, results.Length);
        if (_answered.Count > (2 * _largestCycle) + 64)
            _answered.Clear();
        foreach (var result in results)
        {
            if (!result.Succeeded)
                _failedLastCycle.Add(result.NodeName);
            if (result.Requests.Resource > 0 || result.Requests.Summary > 0)
                _answered.Add(result.NodeName);
            else
                _answered.Remove(result.NodeName);
        }
    }

    private async Task ScrapeSlotAsync(
        IReadOnlyList<NodeInfo> nodes, int index, NodeScrapeResult[] results, double delayMs, CancellationToken timeout, CancellationToken deadline)
    {
        // Off the caller's thread at once: the loop starting every node must not run handshakes inline.
        await Task.Yield();
        results[index] = await ScrapeNodeAsync(nodes[index], delayMs, timeout, deadline).ConfigureAwait(false);
    }

    private async Task<NodeScrapeResult> ScrapeNodeAsync(NodeInfo node, double delayMs, CancellationToken timeout, CancellationToken deadline)
    {
        var started = _time.GetTimestamp();
        var requests = default(KubeletRequests);
        var summary = _options.Source == KubeletMetricsSource.Summary
            || (_options.Source == KubeletMetricsSource.Auto && _sources.UseSummary(node.Name));
        if (!_resolver.TryResolve(node, out var url, out var error, summary))
            return Fail(node, error, started, timedOut: false, requests);
        PooledBody? body = null;
        try
        {
            if (delayMs >= 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, deadline).ConfigureAwait(false);
                started = _time.GetTimestamp();
            }
            var requestStartNs = UnixNanoseconds(_time.GetUtcNow());
            requests = requests.With(summary, KubeletRequests.NoResponse);
            var fetch = _answered.Contains(node.Name)
                ? _client.FetchAsync(url, _options.MaxBodyBytes, deadline)
                : FetchOverNewConnectionAsync(url, deadline);
            (body, error, var status) = await fetch.ConfigureAwait(false);
            requests = requests.With(summary, status);
            if (!summary && _options.Source == KubeletMetricsSource.Auto && ShouldFallBack(node, body, error, out var summaryUrl))
            {
                // No /metrics/resource (404): the Summary API at once, within the same deadline.
                (summary, url) = (true, summaryUrl);
                requestStartNs = UnixNanoseconds(_time.GetUtcNow());
                requests = requests.With(summary, KubeletRequests.NoResponse);
                (body, error, status) = await _client.FetchAsync(url, _options.MaxBodyBytes, deadline).ConfigureAwait(false);
                requests = requests.With(summary, status);
            }
            if (body is null)
                return Fail(node, error ?? "no body", started, timedOut: false, requests);
            return await ParseAsync(node, body, requestStartNs, started, summary, requests, deadline).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            var message = timeout.IsCancellationRequested
                ? $"timeout to access kubelet: Get \"{url}\": context deadline exceeded"
                : $"Get \"{url}\": {CycleEnded}";
            return Fail(node, message, started, timedOut: true, requests);
        }
        catch (Exception ex)
        {
            // A parser bug on one body must not end the cycle for every other node.
            return Fail(node, "decode: " + ex.Message, started, timedOut: false, requests);
        }
        finally
        {
            body?.Dispose();
        }
    }

    // Waits for a place among the new connections (its start time is kept: the wait is part of the node's scrape), then holds
    // it until the connection's handshake is done, the fetch ends or the hold runs out, whichever is first. A kubelet that
    // completes the handshake and then never answers gives its place back at once: what the bound protects is CPU
    // for handshakes, and what each hung kubelet would otherwise take from the healthy ones is a whole hold.
    // A wait cut by the deadline is the node's timeout.
    private async Task<(PooledBody? Body, string? Error, int Status)> FetchOverNewConnectionAsync(Uri url, CancellationToken deadline)
    {
        await _newConnectionGate.WaitAsync(deadline).ConfigureAwait(false);
        var place = new GatePlace(_newConnectionGate);
        var fetch = _client.FetchAsync(url, _options.MaxBodyBytes, deadline, place.Release);
        try
        {
            await ((Task)Task.WhenAny(fetch, place.Released)).WaitAsync(_options.NewConnectionHold, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            place.Release();
        }
        return await fetch.ConfigureAwait(false);
    }

    /// <summary>One admitted new connection's place in the gate, given back exactly once, by whichever comes first.</summary>
    private sealed class GatePlace(SemaphoreSlim gate)
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Released => _released.Task;

        public void Release()
        {
            if (_released.TrySetResult())
                gate.Release();
        }
    }

    // Tracks which endpoint a node answers on; true when its /metrics/resource answered 404 and the Summary API is next.
    private bool ShouldFallBack(NodeInfo node, PooledBody? body, string? error, [NotNullWhen(true)] out Uri? summaryUrl)
    {
        summaryUrl = null;
        if (body is not null)
        {
            if (_sources.MarkResource(node.Name))
                _logger.ResourceAgain(node.Name);
            return false;
        }
        if (!KubeletClient.IsNotFound(error) || !_resolver.TryResolve(node, out summaryUrl, out _, summary: true))
            return false;
        if (_sources.MarkSummary(node.Name))
            _logger.SummaryFallback(node.Name, NodeTargetResolver.SummaryPath);
        return true;
    }

    private async Task<NodeScrapeResult> ParseAsync(
        NodeInfo node, PooledBody body, long requestStartNs, long started, bool summary, KubeletRequests requests, CancellationToken deadline)
    {
        await _parseGate.WaitAsync(deadline).ConfigureAwait(false);
        try
        {
            if (!_parsers.TryParse(node.Name, body.Span, requestStartNs, out var batch, out var parseError, summary))
                return Fail(node, "decode: " + (parseError ?? "malformed body"), started, timedOut: false, requests);
            // A well-formed answer without one resource series (a kubelet whose resource collector is broken, a
            // proxy's 200 page in Prometheus syntax) leaves the node as empty as a failure does: say why.
            if (batch.InvalidSamples > 0)
                _logger.InvalidSamplesDropped(node.Name, batch.InvalidSamples);
            if (!batch.HasNode && batch.ContainerCount == 0)
                return Fail(node, ScrapeFailureReason.NoSeriesError, started, timedOut: false, requests);
            return new NodeScrapeResult(node.Name, batch, null, _time.GetElapsedTime(started).TotalMilliseconds, Requests: requests);
        }
        finally
        {
            _parseGate.Release();
        }
    }

    // One line per failing node and cycle at most; the cycle's summary line counts them by reason.
    private NodeScrapeResult Fail(NodeInfo node, string error, long started, bool timedOut, KubeletRequests requests)
    {
        var reason = ScrapeFailureReason.Classify(error, timedOut);
        if (!node.IsReady)
            _logger.NotReadyScrapeFailed(node.Name, reason, error);
        else if (timedOut)
            _logger.KubeletTimeout(node.Name, _timeoutText, reason, error);
        else
            _logger.ScrapeFailed(node.Name, reason, error);
        return new NodeScrapeResult(node.Name, null, error, _time.GetElapsedTime(started).TotalMilliseconds, reason, requests);
    }

    private static long UnixNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
}

/// <summary>The scrape step of a cycle: result i belongs to node i, and a node's failure is a value, never an exception.</summary>
public interface INodeScraper
{
    Task<NodeScrapeResult[]> ScrapeAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cycleToken);
}

/// <summary>
/// The outcome of one node's scrape: a batch, or an error as a value. A failed node contributes
/// nothing to storage, as upstream (its metrics disappear until it is scraped again). A failure's
/// <see cref="Reason"/> is one of <see cref="ScrapeFailureReason"/>; <see cref="Requests"/> are the HTTP requests it sent.
/// <see cref="FromPeer"/> marks a result another replica scraped and shared (HA mode): it is stored as any other, but
/// this replica sent no kubelet request for it.
/// </summary>
public readonly record struct NodeScrapeResult(
    string NodeName, NodeBatch? Batch, string? Error, double ElapsedMs, string? Reason = null, KubeletRequests Requests = default, bool FromPeer = false)
{
    public bool Succeeded => Batch is not null;
}
