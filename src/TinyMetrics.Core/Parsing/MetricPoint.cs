namespace TinyMetrics.Parsing;

/// <summary>
/// One kubelet sample. Times are Unix nanoseconds; a zero <see cref="StartTimeNs"/> means the
/// kubelet did not report a start time (nodes never do).
/// </summary>
public readonly record struct MetricPoint(long StartTimeNs, long TimestampNs, ulong CpuNanoSeconds, ulong MemoryBytes);
