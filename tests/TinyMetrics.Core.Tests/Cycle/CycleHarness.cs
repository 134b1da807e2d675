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

    public CycleHarness(ScriptedScraper scraper, string nodeSelector = "", TimeSpan? resolution = null)
    {
        var every = resolution ?? Resolution;
        Scraper = scraper;
        scraper.Clock = Time;
        LabelSelector.TryParse(nodeSelector, out var selector, out _);
        Timers = new TimerWatch(Time);
        Health = new HealthState(Cell, Cluster, Time, every);
        Cycle = new ScrapeCycle(Cluster, scraper, new MetricsStore(every), Cell, Health, selector, every, Timers,
            observer: report => _reports.Writer.TryWrite(report));
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    /// <summary>The cycle's clock: <see cref="Time"/>, telling the test of each timer the cycle sets.</summary>
    public TimerWatch Timers { get; }

    public FakeCluster Cluster { get; } = new();

    public SnapshotCell Cell { get; } = new();

    public HealthState Health { get; }

    public ScriptedScraper Scraper { get; }

    public ScrapeCycle Cycle { get; }

    public async Task<CycleReport> NextReportAsync() => await _reports.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    /// <summary>node-a (role=edge) and node-b (role=core), with Running pods ns/web on node-a and ns/api on node-b.</summary>
    public static ClusterView TwoNodes()
    {
        var nodes = new Dictionary<string, NodeInfo>
        {
            ["node-a"] = new("node-a", LabelSet.From([new("role", "edge")]), [], 10250, null, true),
            ["node-b"] = new("node-b", LabelSet.From([new("role", "core")]), [], 10250, null, true),
        };
        var pods = new Dictionary<PodKey, PodInfo>
        {
            [new PodKey("ns", "web")] = new("ns", "web", LabelSet.From([new("app", "web")])),
            [new PodKey("ns", "api")] = new("ns", "api", LabelSet.From([new("app", "api")])),
        };
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

    /// <summary>node-a as <see cref="NodeA"/>, its container on a second node-b pod ns/api too (node-b's own point at the same time).</summary>
    public static NodeScrapeResult[] BothNodes(long tsA, long tsB, double cpuSeconds)
    {
        var a = NodeA(tsA, cpuSeconds, cpuSeconds / 10);
        var batch = new NodeBatch();
        batch.SetNode(new MetricPoint(0, tsB, (ulong)(cpuSeconds * S), 1_000_000_000));
        batch.AddContainer(new ContainerSample("ns", "api", "app", new MetricPoint(0, tsB, (ulong)(cpuSeconds / 10 * S), 30_000_000)));
        return [a, new NodeScrapeResult("node-b", batch, null, 3)];
    }

    public static NodeScrapeResult Failed(string node) => new(node, null, "connection refused", 1);
}

/// <summary>
/// A clock over a fake one that reports every timer created: a test advances the fake clock only once the cycle
/// has set the wait it means to end, or the advance would come before the wait and never end it.
/// </summary>
internal sealed class TimerWatch(FakeTimeProvider fake) : TimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override long GetTimestamp() => fake.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until a timer due in <paramref name="due"/> has been set (timers due otherwise are passed over).</summary>
    public async Task SetAsync(TimeSpan due)
    {
        using var patience = new CancellationTokenSource(CycleHarness.Patience);
        while (await _created.Reader.ReadAsync(patience.Token) != due)
        {
        }
    }
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

    /// <summary>Stamps each call's time into <see cref="CallTimes"/>.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>When each scrape call came, in order: the cycle's cadence.</summary>
    public List<DateTimeOffset> CallTimes { get; } = [];

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
        lock (CallTimes)
            CallTimes.Add(Clock.GetUtcNow());
        _calls.Writer.TryWrite(names);
        return _steps.Count > 0 ? _steps.Dequeue()(nodes, cycleToken) : Task.FromResult(Array.Empty<NodeScrapeResult>());
    }
}
