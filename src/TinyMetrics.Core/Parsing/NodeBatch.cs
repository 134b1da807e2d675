namespace TinyMetrics.Parsing;

/// <summary>
/// One node's decoded <c>/metrics/resource</c> body, after decode.go's drop rules (a node point needs CPU, memory and a timestamp; a pod needs every container complete).
/// Owned by one scrape worker slot and reused from cycle to cycle, so steady-state parsing
/// allocates nothing; storage copies what it keeps before the slot is reused.
/// </summary>
public sealed class NodeBatch
{
    private ContainerSample[] _containers = new ContainerSample[16];

    public int ContainerCount { get; private set; }

    /// <summary>False when the node point was dropped (missing, zero CPU or memory, zero timestamp).</summary>
    public bool HasNode { get; private set; }

    public MetricPoint Node { get; private set; }

    /// <summary>
    /// Usage samples whose value was NaN, infinite, negative or beyond uint64 (as nanoseconds or bytes): valid
    /// lines, dropped as decode.go's zero rules drop them, counted so the scrape can say so.
    /// </summary>
    public int InvalidSamples { get; set; }

    /// <summary>
    /// The kept containers. From <see cref="ResourceMetricsParser"/>, each container appears once and the
    /// containers of one pod are contiguous; storage does not rely on either.
    /// </summary>
    public ReadOnlySpan<ContainerSample> Containers => _containers.AsSpan(0, ContainerCount);

    public void Clear()
    {
        HasNode = false;
        Node = default;
        InvalidSamples = 0;
        ContainerCount = 0;
    }

    public void SetNode(MetricPoint point)
    {
        Node = point;
        HasNode = true;
    }

    public void AddContainer(in ContainerSample sample)
    {
        if (ContainerCount == _containers.Length)
            Array.Resize(ref _containers, _containers.Length * 2);
        _containers[ContainerCount++] = sample;
    }
}

/// <summary>
/// One kubelet sample. Times are Unix nanoseconds; a zero <see cref="StartTimeNs"/> means the
/// kubelet did not report a start time (nodes never do). <see cref="Swap"/> is none unless the kubelet wrote a swap series.
/// </summary>
public readonly record struct MetricPoint(long StartTimeNs, long TimestampNs, ulong CpuNanoSeconds, ulong MemoryBytes, SwapUsage Swap = default);

/// <summary>One container's decoded point; the strings are interned, so equal names share one instance.</summary>
public readonly record struct ContainerSample(string Namespace, string Pod, string Container, MetricPoint Point);
