using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Model;

/// <summary>A Running pod of the simulated cluster; <see cref="ResourceVersion"/> never changes.</summary>
public sealed record SimulatedPod(
    string Namespace,
    string Name,
    string Uid,
    LabelSet Labels,
    string NodeName,
    string PodIp,
    long CreationUnixNanos,
    string ResourceVersion,
    SimulatedContainer[] Containers)
{
    public long CpuNanoCores
    {
        get
        {
            long sum = 0;
            foreach (var c in Containers)
                sum += c.CpuNanoCores;
            return sum;
        }
    }

    public long MemoryBytes
    {
        get
        {
            long sum = 0;
            foreach (var c in Containers)
                sum += c.MemoryBytes;
            return sum;
        }
    }

    public long SwapBytes
    {
        get
        {
            long sum = 0;
            foreach (var c in Containers)
                sum += c.SwapBytes;
            return sum;
        }
    }
}
