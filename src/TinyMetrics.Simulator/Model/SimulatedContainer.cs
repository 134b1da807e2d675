namespace TinyMetrics.Simulator.Model;

/// <summary>A container with a constant CPU rate and working set; its CPU counter starts at <see cref="StartUnixNanos"/>.</summary>
public sealed record SimulatedContainer(string Name, long CpuNanoCores, long MemoryBytes, long StartUnixNanos, string Image);
