using TinyMetrics.Discovery;

namespace TinyMetrics.Storage;

/// <summary>A servable node: usage over <see cref="WindowNs"/> ending at <see cref="TimestampNs"/> (Unix ns).</summary>
public sealed record NodeMetricsValue(string Name, LabelSet Labels, long TimestampNs, long WindowNs, ulong CpuNanoCores, ulong MemoryBytes);
