using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Model;

/// <summary>
/// A node and its kubelet at <see cref="Address"/>:<see cref="KubeletPort"/>. Node CPU, memory and swap are a base
/// plus the sum of its containers, as on a real node. <see cref="SwapCapacityBytes"/> is 0 on a node without swap
/// (its Node object then has no <c>status.nodeInfo.swap</c>).
/// </summary>
public sealed record SimulatedNode(
    int Index,
    string Name,
    string Uid,
    string Address,
    int KubeletPort,
    LabelSet Labels,
    long CpuNanoCores,
    long MemoryBytes,
    long BootUnixNanos,
    long CreationUnixNanos,
    string ResourceVersion,
    SimulatedPod[] Pods,
    KubeletDialect Dialect = KubeletDialect.Simple,
    long SwapBytes = 0,
    long SwapCapacityBytes = 0)
{
    /// <summary>Whether the kubelet writes the swap families (a modern kubelet writes them even at zero).</summary>
    public bool ReportsSwap => Dialect == KubeletDialect.Modern;
}
