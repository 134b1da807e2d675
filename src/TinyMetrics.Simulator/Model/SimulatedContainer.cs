namespace TinyMetrics.Simulator.Model;

/// <summary>
/// A container with a constant CPU rate, working set and swap usage; its CPU counter starts at <see cref="StartUnixNanos"/>.
/// <see cref="SwapBytes"/> is written only by kubelets that report swap (<see cref="SimulatedNode.ReportsSwap"/>).
/// </summary>
public sealed record SimulatedContainer(string Name, long CpuNanoCores, long MemoryBytes, long StartUnixNanos, string Image, long SwapBytes = 0);
