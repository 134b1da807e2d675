namespace TinyMetrics.Simulator.Model;

/// <summary>
/// Containers restarted through the control endpoint, an overlay on the immutable <see cref="SimulatedCluster"/>:
/// from its restart a container's CPU counter starts again from zero, its start time is the restart, and it runs at
/// the rate given then. The pod's and the node's counters keep counting across it (their cgroups outlive the
/// container), at the new total from the restart on. Written under a lock and read by every scrape without one:
/// a node's set is replaced whole, so a scrape sees one consistent set.
/// </summary>
public sealed class ContainerRestarts
{
    private readonly Lock _gate = new();
    private readonly NodeRestarts?[] _byNode;

    public ContainerRestarts(int nodes) => _byNode = new NodeRestarts?[nodes];

    /// <summary>The restarts on node <paramref name="node"/> (its index), or null when none of its containers restarted.</summary>
    public NodeRestarts? For(int node) => Volatile.Read(ref _byNode[node]);

    /// <summary>
    /// Restarts <paramref name="container"/> (on <paramref name="node"/>) at <paramref name="atUnixNanos"/>, or 1 ms after
    /// its previous start when that is later, so every run starts after the one before; answers the new run.
    /// </summary>
    public ContainerRun Restart(SimulatedNode node, SimulatedContainer container, long atUnixNanos, long cpuNanoCores)
    {
        lock (_gate)
        {
            var current = For(node.Index) ?? NodeRestarts.None;
            var run = new ContainerRun(Math.Max(atUnixNanos, current.Current(container).StartUnixNanos + 1_000_000), cpuNanoCores);
            Volatile.Write(ref _byNode[node.Index], current.With(container, run));
            return run;
        }
    }
}

/// <summary>One node's restarted containers, each with its runs after the first in time order; immutable.</summary>
public sealed class NodeRestarts
{
    internal static readonly NodeRestarts None = new(new Dictionary<SimulatedContainer, ContainerRun[]>(ReferenceEqualityComparer.Instance));

    // By reference: two containers of different pods may be equal records.
    private readonly Dictionary<SimulatedContainer, ContainerRun[]> _runs;

    private NodeRestarts(Dictionary<SimulatedContainer, ContainerRun[]> runs) => _runs = runs;

    /// <summary>The run the container is in now: its own start and rate until it first restarts.</summary>
    public ContainerRun Current(SimulatedContainer container) =>
        _runs.TryGetValue(container, out var runs) ? runs[^1] : new ContainerRun(container.StartUnixNanos, container.CpuNanoCores);

    /// <summary>The node's rate now: its own plus what each restart changed.</summary>
    public long NodeCpuNanoCores(SimulatedNode node)
    {
        var total = node.CpuNanoCores;
        foreach (var (container, runs) in _runs)
            total += runs[^1].CpuNanoCores - container.CpuNanoCores;
        return total;
    }

    /// <summary>Core-seconds the container used from <paramref name="sinceUnixNanos"/> to <paramref name="atUnixNanos"/> over all its runs: what its pod's counter holds.</summary>
    public double CpuSecondsAcrossRestarts(SimulatedContainer container, long sinceUnixNanos, long atUnixNanos)
    {
        if (!_runs.TryGetValue(container, out var runs))
            return SimulatedCluster.CpuSeconds(container.CpuNanoCores, Math.Max(container.StartUnixNanos, sinceUnixNanos), atUnixNanos);
        var total = SimulatedCluster.CpuSeconds(container.CpuNanoCores, Math.Max(container.StartUnixNanos, sinceUnixNanos),
            Math.Min(runs[0].StartUnixNanos, atUnixNanos));
        for (var i = 0; i < runs.Length; i++)
        {
            var end = i + 1 < runs.Length ? Math.Min(runs[i + 1].StartUnixNanos, atUnixNanos) : atUnixNanos;
            total += SimulatedCluster.CpuSeconds(runs[i].CpuNanoCores, Math.Max(runs[i].StartUnixNanos, sinceUnixNanos), end);
        }
        return total;
    }

    /// <summary>
    /// What the restarts add to the node's counter (negative when a rate went down) from <paramref name="sinceUnixNanos"/>:
    /// each change of rate counts from its restart on, as the node's cgroup sees it.
    /// </summary>
    public double NodeCpuSecondsDelta(long sinceUnixNanos, long atUnixNanos)
    {
        double delta = 0;
        foreach (var (container, runs) in _runs)
        {
            var previous = container.CpuNanoCores;
            foreach (var run in runs)
            {
                var from = Math.Max(run.StartUnixNanos, sinceUnixNanos);
                if (atUnixNanos > from)
                    delta += (run.CpuNanoCores - previous) * (double)(atUnixNanos - from) / 1e18;
                previous = run.CpuNanoCores;
            }
        }
        return delta;
    }

    internal NodeRestarts With(SimulatedContainer container, ContainerRun run)
    {
        var runs = new Dictionary<SimulatedContainer, ContainerRun[]>(_runs, ReferenceEqualityComparer.Instance);
        runs[container] = runs.TryGetValue(container, out var earlier) ? [.. earlier, run] : [run];
        return new NodeRestarts(runs);
    }
}

/// <summary>One run of a container: from <see cref="StartUnixNanos"/> (its start, or a restart) at a constant rate.</summary>
public readonly record struct ContainerRun(long StartUnixNanos, long CpuNanoCores);
