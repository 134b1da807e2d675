using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Model;

/// <summary>
/// A node and its kubelet at <see cref="Address"/>:<see cref="KubeletPort"/>. Node CPU and memory are a base
/// plus the sum of its containers, as on a real node.
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
    SimulatedPod[] Pods);
