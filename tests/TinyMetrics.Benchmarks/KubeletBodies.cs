using System.Buffers;
using TinyMetrics.Simulator;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Benchmarks;

/// <summary>Exact kubelet <c>/metrics/resource</c> bodies from the simulator, for one node of a given pod count.</summary>
public static class KubeletBodies
{
    /// <summary>Unix ms of the scrape; the parser's label-set cache is keyed to request time, so it stays fixed.</summary>
    public const long ScrapeMs = 1_700_000_015_000;

    /// <summary>The simulator's default (realistic) shape: 1–3 containers per pod, a 1.29+ kubelet body with pod-level and swap families.</summary>
    public static byte[] ForPods(int podsPerNode)
    {
        var options = new SimulatorOptions { Nodes = 1, PodsPerNode = podsPerNode, Seed = 7 };
        var cluster = SimulatedCluster.Create(options, (ScrapeMs - 3_600_000) * 1_000_000);
        var buffer = new ArrayBufferWriter<byte>(podsPerNode * 1024);
        KubeletMetricsWriter.Write(buffer, cluster.Nodes[0], ScrapeMs);
        return buffer.WrittenSpan.ToArray();
    }
}
