using System.Buffers;
using System.Text.Json;
using TinyMetrics.Parsing;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets.Tests;

/// <summary>
/// The simulator's /stats/summary agrees with its /metrics/resource: for the same node and timestamp (after a counter
/// reset and a container restart too) tinymetrics' two parsers read the same samples from the two bodies.
/// </summary>
public class KubeletSummaryWriterTests
{
    private const long StartMs = 1_800_000_000_123;

    private static readonly SimulatedCluster Cluster =
        SimulatedCluster.Create(new SimulatorOptions { Nodes = 4, PodsPerNode = 8, Seed = 12 }, StartMs * 1_000_000);

    [Test]
    [Arguments(0, 0L, false)]
    [Arguments(1, 0L, false)]
    [Arguments(0, 30_000L, false)]
    [Arguments(1, 0L, true)]
    [Arguments(3, 0L, false)]
    public async Task Write_SameNodeAndTime_GivesTheSamplesOfTheTextBody(int nodeIndex, long resetAfterMs, bool restart)
    {
        var node = Cluster.Nodes[nodeIndex];
        var at = StartMs + 95_000;
        var reset = resetAfterMs == 0 ? 0 : (StartMs + resetAfterMs) * 1_000_000;
        NodeRestarts? restarts = null;
        if (restart)
        {
            var all = new ContainerRestarts(Cluster.Nodes.Length);
            all.Restart(node, node.Pods[0].Containers[0], (StartMs + 40_000) * 1_000_000, 123_000_000);
            restarts = all.For(node.Index);
        }
        var text = new ArrayBufferWriter<byte>();
        KubeletMetricsWriter.Write(text, node, at, reset, restarts);
        var summary = new ArrayBufferWriter<byte>();
        KubeletSummaryWriter.Write(summary, node, at, reset, restarts);

        var fromText = new NodeBatch();
        var fromSummary = new NodeBatch();
        await Assert.That(new ResourceMetricsParser().TryParse(text.WrittenSpan, 0, fromText, out _)).IsTrue();
        await Assert.That(new SummaryParser().TryParse(summary.WrittenSpan, 0, fromSummary, out var error)).IsTrue().Because(error ?? "");

        await Assert.That(fromSummary.Node).IsEqualTo(fromText.Node);
        // Node 0 has swap in use, node 1 reports zero, node 3 is a legacy kubelet without swap families.
        await Assert.That(fromSummary.Node.Swap.IsReported).IsEqualTo(node.ReportsSwap);
        await Assert.That(fromSummary.Node.Swap.Bytes).IsEqualTo((ulong)node.SwapBytes);
        await Assert.That(fromSummary.ContainerCount).IsEqualTo(node.Pods.Sum(p => p.Containers.Length));
        var textByName = fromText.Containers.ToArray().ToDictionary(c => (c.Namespace, c.Pod, c.Container));
        foreach (var s in fromSummary.Containers.ToArray())
        {
            var t = textByName[(s.Namespace, s.Pod, s.Container)];
            await Assert.That(s.Point with { StartTimeNs = 0 }).IsEqualTo(t.Point with { StartTimeNs = 0 });
            // The text's start time is a float of seconds; the Summary's is exact.
            await Assert.That(Math.Abs(s.Point.StartTimeNs - t.Point.StartTimeNs)).IsLessThanOrEqualTo(1000L);
        }
    }

    [Test]
    public async Task Write_Node_IsAKubeletShapedSummary()
    {
        var node = Cluster.Nodes[0];
        var buffer = new ArrayBufferWriter<byte>();
        KubeletSummaryWriter.Write(buffer, node, StartMs);

        using var json = JsonDocument.Parse(buffer.WrittenMemory);
        var root = json.RootElement;
        await Assert.That(root.GetProperty("node").GetProperty("nodeName").GetString()).IsEqualTo(node.Name);
        await Assert.That(root.GetProperty("node").GetProperty("cpu").GetProperty("time").GetString()).IsEqualTo("2027-01-15T08:00:00.123Z");
        await Assert.That(root.GetProperty("node").GetProperty("memory").GetProperty("workingSetBytes").GetInt64()).IsEqualTo(node.MemoryBytes);
        var pods = root.GetProperty("pods");
        await Assert.That(pods.GetArrayLength()).IsEqualTo(node.Pods.Length);
        var pod = pods[0];
        await Assert.That(pod.GetProperty("podRef").GetProperty("name").GetString()).IsEqualTo(node.Pods[0].Name);
        await Assert.That(pod.GetProperty("containers")[0].GetProperty("cpu").GetProperty("usageNanoCores").GetInt64())
            .IsEqualTo(node.Pods[0].Containers[0].CpuNanoCores);
        var swap = root.GetProperty("node").GetProperty("swap");
        await Assert.That(swap.GetProperty("swapUsageBytes").GetInt64()).IsEqualTo(node.SwapBytes);
        await Assert.That(swap.GetProperty("swapAvailableBytes").GetInt64()).IsEqualTo(node.SwapCapacityBytes - node.SwapBytes);
        await Assert.That(pod.GetProperty("containers")[0].GetProperty("swap").GetProperty("swapUsageBytes").GetInt64())
            .IsEqualTo(node.Pods[0].Containers[0].SwapBytes);
        await Assert.That(pod.GetProperty("swap").GetProperty("swapUsageBytes").GetInt64()).IsEqualTo(node.Pods[0].SwapBytes);
        using var legacy = JsonDocument.Parse(Written(Cluster.Nodes[3]));
        await Assert.That(legacy.RootElement.GetProperty("node").TryGetProperty("swap", out _)).IsFalse();
    }

    private static ReadOnlyMemory<byte> Written(SimulatedNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        KubeletSummaryWriter.Write(buffer, node, StartMs);
        return buffer.WrittenMemory;
    }

    [Test]
    [Arguments(0L, "1970-01-01T00:00:00Z")]
    [Arguments(1_500_000_000L, "1970-01-01T00:00:01.5Z")]
    [Arguments(1_633_253_812_000_000_007L, "2021-10-03T09:36:52.000000007Z")]
    public async Task FormatTime_UnixNanos_IsGoRfc3339Nano(long unixNanos, string expected)
    {
        var text = new char[40];
        await Assert.That(new string(text, 0, KubeletSummaryWriter.FormatTime(unixNanos, text))).IsEqualTo(expected);
    }
}
