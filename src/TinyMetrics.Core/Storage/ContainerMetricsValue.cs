namespace TinyMetrics.Storage;

public readonly record struct ContainerMetricsValue(string Name, ulong CpuNanoCores, ulong MemoryBytes);
