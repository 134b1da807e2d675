using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// One scrape cycle over many nodes: starts are spread by jitter, a fixed pool of workers fetches,
/// a small pool of parser slots parses, every node gets its own timeout, and every node's outcome
/// is a value.
/// </summary>
/// <remarks>
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
    private readonly string _timeoutText;

    public Scraper(KubeletClient client, ScrapeOptions options, TimeProvider time, ILogger? logger = null)
    {
        _client = client;
        _options = options;
        _resolver = new NodeTargetResolver(options);
        _timeoutText = Configuration.GoDuration.Format(options.RequestTimeout);
        _time = time;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Parsers created so far: at most one per core, each caching the names of its share of the nodes.</summary>
    internal int ParserCount => _parsers.Count;

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
        var workerCount = _options.WorkerCountFor(nodes.Count);
        _parsers.BeginCycle();

        var channel = Channel.CreateBounded<int>(new BoundedChannelOptions(workerCount) { SingleWriter = true });
        var tasks = new Task[workerCount + 1];
        tasks[0] = FeedAsync(nodes.Count, channel.Writer, cycleToken);
        for (var i = 0; i < workerCount; i++)
            tasks[i + 1] = Task.Run(() => WorkAsync(nodes, channel.Reader, results, cycleToken), CancellationToken.None);
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var failed = FillUnscraped(nodes, results);
        _logger.CycleDone(_time.GetElapsedTime(started).TotalMilliseconds, nodes.Count, failed, workerCount);
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

    /// <summary>Releases nodes into the channel at random offsets in [0, min(8 ms × n, 4 s)); stops early on cancellation.</summary>
    private async Task FeedAsync(int count, ChannelWriter<int> writer, CancellationToken cycleToken)
    {
        try
        {
            var spreadMs = Math.Min(_options.JitterPerNode.TotalMilliseconds * count, _options.MaxJitter.TotalMilliseconds);
            var offsets = new double[count];
            var order = new int[count];
            for (var i = 0; i < count; i++)
            {
                offsets[i] = Random.Shared.NextDouble() * spreadMs;
                order[i] = i;
            }
            Array.Sort(offsets, order);
            var start = _time.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var waitMs = offsets[i] - _time.GetElapsedTime(start).TotalMilliseconds;
                if (waitMs >= 1)
                    await Task.Delay(TimeSpan.FromMilliseconds(waitMs), _time, cycleToken).ConfigureAwait(false);
                await writer.WriteAsync(order[i], cycleToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task WorkAsync(IReadOnlyList<NodeInfo> nodes, ChannelReader<int> reader, NodeScrapeResult[] results, CancellationToken cycleToken)
    {
        // The feeder always completes the channel, so draining without a token cannot hang.
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var index))
                results[index] = await ScrapeNodeAsync(nodes[index], cycleToken).ConfigureAwait(false);
        }
    }

    private async Task<NodeScrapeResult> ScrapeNodeAsync(NodeInfo node, CancellationToken cycleToken)
    {
        var started = _time.GetTimestamp();
        if (!_resolver.TryResolve(node, out var url, out var error))
            return Fail(node, error, started, timedOut: false);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cycleToken, timeout.Token);
        var requestStartNs = UnixNanoseconds(_time.GetUtcNow());
        PooledBody? body = null;
        try
        {
            (body, error) = await _client.FetchAsync(url, _options.MaxBodyBytes, linked.Token).ConfigureAwait(false);
            if (body is null)
                return Fail(node, error ?? "no body", started, timedOut: false);
            if (!_parsers.TryParse(node.Name, body.Span, requestStartNs, out var batch, out var parseError))
                return Fail(node, "decode: " + (parseError ?? "malformed body"), started, timedOut: false);
            return new NodeScrapeResult(node.Name, batch, null, _time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException)
        {
            var message = timeout.IsCancellationRequested
                ? $"timeout to access kubelet: Get \"{url}\": context deadline exceeded"
                : $"Get \"{url}\": {CycleEnded}";
            return Fail(node, message, started, timedOut: true);
        }
        catch (Exception ex)
        {
            // A parser bug on one body must not end the cycle for every other node.
            return Fail(node, "decode: " + ex.Message, started, timedOut: false);
        }
        finally
        {
            body?.Dispose();
        }
    }

    // One line per failing node and cycle at most; the cycle's summary line counts them by reason.
    private NodeScrapeResult Fail(NodeInfo node, string error, long started, bool timedOut)
    {
        var reason = ScrapeFailureReason.Classify(error, timedOut);
        if (!node.IsReady)
            _logger.NotReadyScrapeFailed(node.Name, reason, error);
        else if (timedOut)
            _logger.KubeletTimeout(node.Name, _timeoutText, reason, error);
        else
            _logger.ScrapeFailed(node.Name, reason, error);
        return new NodeScrapeResult(node.Name, null, error, _time.GetElapsedTime(started).TotalMilliseconds, reason);
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
/// <see cref="Reason"/> is one of <see cref="ScrapeFailureReason"/>.
/// </summary>
public readonly record struct NodeScrapeResult(string NodeName, NodeBatch? Batch, string? Error, double ElapsedMs, string? Reason = null)
{
    public bool Succeeded => Batch is not null;
}
