using System.Collections.Frozen;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;
using TinyMetrics.Storage.Tests;

namespace TinyMetrics.Cycle.Tests;

/// <summary>A scrape cycle on fake time, a hand-set cluster and a scripted scraper; every finished cycle is reported on a channel.</summary>
internal sealed class CycleHarness
{
    public const long S = StoreHarness.S;
    public const long T0 = StoreHarness.T0;

    /// <summary>How long a test waits for something the fake clock already allowed; only a hang reaches it.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan Resolution = StoreHarness.Resolution;

    private readonly Channel<CycleReport> _reports = Channel.CreateUnbounded<CycleReport>();

    public CycleHarness(ScriptedScraper scraper, string nodeSelector = "")
    {
        Scraper = scraper;
        LabelSelector.TryParse(nodeSelector, out var selector, out _);
        Health = new HealthState(Cell, Cluster, Time, Resolution);
        Cycle = new ScrapeCycle(Cluster, scraper, new MetricsStore(Resolution), Cell, Health, selector, Resolution, Time,
            observer: report => _reports.Writer.TryWrite(report));
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    public FakeCluster Cluster { get; } = new();

    public SnapshotCell Cell { get; } = new();

    public HealthState Health { get; }

    public ScriptedScraper Scraper { get; }

    public ScrapeCycle Cycle { get; }

    public async Task<CycleReport> NextReportAsync() => await _reports.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>node-a (role=edge) and node-b (role=core), with Running pod ns/web on node-a.</summary>
    public static ClusterView TwoNodes()
    {
        var nodes = new Dictionary<string, NodeInfo>
        {
            ["node-a"] = new("node-a", LabelSet.From([new("role", "edge")]), [], 10250, null, true),
            ["node-b"] = new("node-b", LabelSet.From([new("role", "core")]), [], 10250, null, true),
        };
        var pods = new Dictionary<PodKey, PodInfo> { [new PodKey("ns", "web")] = new("ns", "web", LabelSet.From([new("app", "web")])) };
        return new ClusterView(nodes.ToFrozenDictionary(), pods.ToFrozenDictionary(), true, true);
    }

    /// <summary>node-a at <paramref name="ts"/> with node CPU <paramref name="nodeCpuSeconds"/> and ns/web/app at <paramref name="containerCpuSeconds"/>.</summary>
    public static NodeScrapeResult NodeA(long ts, double nodeCpuSeconds, double containerCpuSeconds)
    {
        var batch = new NodeBatch();
        batch.SetNode(new MetricPoint(0, ts, (ulong)(nodeCpuSeconds * S), 2_000_000_000));
        batch.AddContainer(new ContainerSample("ns", "web", "app", new MetricPoint(0, ts, (ulong)(containerCpuSeconds * S), 50_000_000)));
        return new NodeScrapeResult("node-a", batch, null, 3);
    }

    public static NodeScrapeResult Failed(string node) => new(node, null, "connection refused", 1);
}

/// <summary>A cluster view set by the test; synced when the test says so.</summary>
internal sealed class FakeCluster : IClusterViewSource
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterView Current { get; set; } = ClusterView.Empty;

    public void Sync(ClusterView view)
    {
        Current = view;
        _synced.TrySetResult();
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);
}

/// <summary>
/// Answers each cycle with the next scripted step: results for the nodes asked for, an exception, or a wait
/// for the cycle's token (then every node fails, as the real scraper reports unfinished nodes).
/// </summary>
internal sealed class ScriptedScraper : INodeScraper
{
    private readonly Queue<Func<IReadOnlyList<NodeInfo>, CancellationToken, Task<NodeScrapeResult[]>>> _steps = new();
    private readonly Channel<string[]> _calls = Channel.CreateUnbounded<string[]>();

    public bool SawCancellation { get; private set; }

    public ScriptedScraper Returns(params NodeScrapeResult[] results)
    {
        _steps.Enqueue((_, _) => Task.FromResult(results));
        return this;
    }

    public ScriptedScraper Throws()
    {
        _steps.Enqueue((_, _) => throw new InvalidOperationException("scraper broke"));
        return this;
    }

    public ScriptedScraper HangsUntilCancelled()
    {
        _steps.Enqueue(async (nodes, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                SawCancellation = true;
            }
            var failed = new NodeScrapeResult[nodes.Count];
            for (var i = 0; i < failed.Length; i++)
                failed[i] = CycleHarness.Failed(nodes[i].Name);
            return failed;
        });
        return this;
    }

    /// <summary>The node names of the next scrape call.</summary>
    public async Task<string[]> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(CycleHarness.Patience);

    public Task<NodeScrapeResult[]> ScrapeAsync(IReadOnlyList<NodeInfo> nodes, CancellationToken cycleToken)
    {
        var names = new string[nodes.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = nodes[i].Name;
        Array.Sort(names, StringComparer.Ordinal);
        _calls.Writer.TryWrite(names);
        return _steps.Count > 0 ? _steps.Dequeue()(nodes, cycleToken) : Task.FromResult(Array.Empty<NodeScrapeResult>());
    }
}
