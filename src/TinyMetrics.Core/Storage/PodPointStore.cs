using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Storage;

/// <summary>
/// Container half of the store (metrics-server pkg/storage/pod.go): two points per container in a dictionary of structs,
/// plus per-cycle scratch (reused) that groups the newest batch's containers by pod with their rates.
/// </summary>
internal sealed class PodPointStore
{
    private readonly Dictionary<ContainerKey, PointPair> _containers = [];
    private readonly Dictionary<PodKey, int> _podIndex = [];
    private readonly long _resolutionNs;
    private readonly ILogger _logger;
    private int[] _staleByOwner = new int[16];
    private int[] _skippedByOwner = new int[16];
    private SkippedContainer[] _firstSkippedByOwner = new SkippedContainer[16];
    private PodWork[] _pods = new PodWork[64];
    private ContainerWork[] _work = new ContainerWork[128];
    private int _podCount;
    private int _workCount;

    public PodPointStore(long resolutionNs, ILogger logger)
    {
        _resolutionNs = resolutionNs;
        _logger = logger;
    }

    /// <summary>Containers holding a prev point (<c>metrics_server_storage_points{type="container"}</c>).</summary>
    public int Points { get; private set; }

    /// <summary>Pods of the newest batch, known to the cluster view, with a container lacking a prev point (set by <see cref="Build"/>).</summary>
    public int Pending { get; private set; }

    /// <summary>The newest kubelet timestamp among the <see cref="Pending"/> pods' containers; 0 when none is pending.</summary>
    public long PendingNewestNs { get; private set; }

    /// <param name="scraped">null for a regular cycle; for start-up scrapes of some nodes, their names: every other node's pods are kept as they are.</param>
    public void Update(ReadOnlySpan<NodeScrapeResult> results, int generation, HashSet<string>? scraped)
    {
        _podIndex.Clear();
        Points = 0;
        if (scraped is null)
        {
            _podCount = 0;
            _workCount = 0;
        }
        else
        {
            KeepUnscraped(scraped, generation);
        }
        ResetOwnerCounts(results.Length);
        for (var index = 0; index < results.Length; index++)
        {
            if (results[index].Batch is not { } batch)
                continue;
            foreach (ref readonly var sample in batch.Containers)
                Add(sample, results[index].NodeName, index, generation, scraped is not null);
            LogDrops(results[index].NodeName, index);
        }
        foreach (var (key, pair) in _containers)
        {
            if (pair.Generation != generation)
                _containers.Remove(key);
        }
    }

    // Start-up scrapes only: the pods of nodes not asked again keep their containers, rates and pending state.
    private void KeepUnscraped(HashSet<string> scraped, int generation)
    {
        var pods = _pods;
        var work = _work;
        var podCount = _podCount;
        _pods = new PodWork[pods.Length];
        _work = new ContainerWork[work.Length];
        _podCount = 0;
        _workCount = 0;
        for (var p = 0; p < podCount; p++)
        {
            ref readonly var pod = ref pods[p];
            if (scraped.Contains(pod.Owner))
                continue;
            var slot = NewPod(pod.Key, pod.Owner);
            _podIndex[pod.Key] = slot;
            ref var kept = ref _pods[slot];
            kept.AllHavePrev = pod.AllHavePrev;
            for (var i = pod.Head; i >= 0; i = work[i].Next)
            {
                ref var pair = ref CollectionsMarshal.GetValueRefOrNullRef(_containers, new ContainerKey(pod.Key.Namespace, pod.Key.Name, work[i].Name));
                pair.Generation = generation;
                Points += pair.HasPrev ? 1 : 0;
                _work[_workCount] = work[i] with { Next = kept.Head };
                kept.Head = _workCount++;
            }
        }
    }

    /// <param name="index">The owner's index in this update's results, where its dropped points are counted.</param>
    private void Add(in ContainerSample sample, string owner, int index, int generation, bool startup)
    {
        ref var podSlot = ref CollectionsMarshal.GetValueRefOrAddDefault(_podIndex, new PodKey(sample.Namespace, sample.Pod), out var podSeen);
        if (!podSeen)
            podSlot = NewPod(new PodKey(sample.Namespace, sample.Pod), owner);
        ref var pod = ref _pods[podSlot];
        if (!string.Equals(pod.Owner, owner, StringComparison.Ordinal))
            return;   // the same pod from two nodes: the first result wins, whole

        var key = new ContainerKey(sample.Namespace, sample.Pod, sample.Container);
        ref var pair = ref CollectionsMarshal.GetValueRefOrAddDefault(_containers, key, out var existed);
        if (existed && pair.Generation == generation)
            return;   // a container twice in one pod: the first sample wins
        if (pair.AdvanceContainer(sample.Point, existed, _resolutionNs, startup))
            _staleByOwner[index]++;
        pair.Generation = generation;

        var rateOk = false;
        ulong cpu = 0;
        long window = 0;
        if (pair.HasPrev)
        {
            Points++;
            rateOk = RateCalculator.TryCompute(pair.Last, pair.Prev, out cpu, out window);
            if (!rateOk && _skippedByOwner[index]++ == 0)
                _firstSkippedByOwner[index] = new SkippedContainer(key, RateCalculator.FailureOf(pair.Last, pair.Prev));
        }
        else
        {
            pod.AllHavePrev = false;
        }
        if (_workCount == _work.Length)
            Array.Resize(ref _work, _work.Length * 2);
        _work[_workCount] = new ContainerWork(sample.Container, pod.Head, rateOk, cpu, pair.Last.MemoryBytes, pair.Last.Swap, pair.Last.TimestampNs, window);
        pod.Head = _workCount++;
    }

    private void ResetOwnerCounts(int owners)
    {
        if (_staleByOwner.Length < owners)
        {
            _staleByOwner = new int[owners];
            _skippedByOwner = new int[owners];
            _firstSkippedByOwner = new SkippedContainer[owners];
            return;
        }
        Array.Clear(_staleByOwner, 0, owners);
        Array.Clear(_skippedByOwner, 0, owners);
        Array.Clear(_firstSkippedByOwner, 0, owners);
    }

    // One line per node and cycle for each kind of dropped container point, however many containers it holds.
    private void LogDrops(string node, int index)
    {
        if (_staleByOwner[index] > 0)
            _logger.StalePointsDropped(node, _staleByOwner[index]);
        if (_skippedByOwner[index] > 0)
        {
            ref readonly var first = ref _firstSkippedByOwner[index];
            _logger.ContainerUsageSkipped(first.Key.Container, first.Key.Namespace + "/" + first.Key.Pod, node, _skippedByOwner[index], first.Error);
        }
    }

    private int NewPod(PodKey key, string owner)
    {
        if (_podCount == _pods.Length)
            Array.Resize(ref _pods, _pods.Length * 2);
        _pods[_podCount] = new PodWork { Key = key, Owner = owner, Head = -1, AllHavePrev = true };
        return _podCount++;
    }

    /// <summary>Servable Running pods, sorted by (namespace, name) ordinal; containers sorted by name. The nodes of pending pods go to <paramref name="pendingNodes"/>.</summary>
    public PodMetricsValue[] Build(ClusterView cluster, HashSet<string> pendingNodes)
    {
        var pods = new List<PodMetricsValue>(_podCount);
        int pending = 0;
        long pendingNewest = 0;
        for (var p = 0; p < _podCount; p++)
        {
            ref readonly var pod = ref _pods[p];
            if (!cluster.Pods.TryGetValue(pod.Key, out var info))
                continue;
            // Upstream serves a pod only when every container of its newest point has a prev.
            if (pod.AllHavePrev)
            {
                pods.Add(BuildPod(pod.Head, info));
                continue;
            }
            pending++;
            pendingNodes.Add(pod.Owner);
            for (var i = pod.Head; i >= 0; i = _work[i].Next)
                pendingNewest = Math.Max(pendingNewest, _work[i].TimestampNs);
        }
        Pending = pending;
        PendingNewestNs = pendingNewest;
        pods.Sort(static (a, b) =>
        {
            var byNamespace = string.CompareOrdinal(a.Namespace, b.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(a.Name, b.Name);
        });
        return [.. pods];
    }

    private PodMetricsValue BuildPod(int head, PodInfo info)
    {
        var count = 0;
        for (var i = head; i >= 0; i = _work[i].Next)
            count += _work[i].RateOk ? 1 : 0;
        if (count == 0)
            return new PodMetricsValue(info.Namespace, info.Name, info.Labels, 0, 0, []);

        var containers = new ContainerMetricsValue[count];
        var earliest = -1;
        count = 0;
        for (var i = head; i >= 0; i = _work[i].Next)
        {
            ref readonly var work = ref _work[i];
            if (!work.RateOk)
                continue;
            containers[count++] = new ContainerMetricsValue(work.Name, work.CpuNanoCores, work.MemoryBytes, work.Swap);
            if (earliest < 0 || IsEarlier(work, _work[earliest]))
                earliest = i;
        }
        Array.Sort(containers, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new PodMetricsValue(info.Namespace, info.Name, info.Labels, _work[earliest].TimestampNs, _work[earliest].WindowNs, containers);
    }

    // The pod's time is that of its earliest container, as metrics-server pkg/storage/pod.go; a tie goes to the first name, deterministically.
    private static bool IsEarlier(in ContainerWork a, in ContainerWork b) =>
        a.TimestampNs < b.TimestampNs || (a.TimestampNs == b.TimestampNs && string.CompareOrdinal(a.Name, b.Name) < 0);

    private struct PodWork
    {
        public PodKey Key;
        public string Owner;
        public int Head;
        public bool AllHavePrev;
    }

    private readonly record struct SkippedContainer(ContainerKey Key, string Error);

    private readonly record struct ContainerWork(string Name, int Next, bool RateOk, ulong CpuNanoCores, ulong MemoryBytes, SwapUsage Swap, long TimestampNs, long WindowNs);
}

/// <summary>A stored container; the strings come interned from the parser, so equality usually ends at the reference check.</summary>
internal readonly record struct ContainerKey(string Namespace, string Pod, string Container);
