using System.Buffers;
using System.Text;
using TinyMetrics.Simulator.Model;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

public class KubeletMetricsWriterTests
{
    private const long StartMs = 1_800_000_000_000;

    private static readonly SimulatedCluster Cluster =
        SimulatedCluster.Create(new SimulatorOptions { Nodes = 4, PodsPerNode = 8, Seed = 11 }, StartMs * 1_000_000);

    private static string Body(SimulatedNode node, long timestampMs, long resetNs = 0, NodeRestarts? restarts = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        KubeletMetricsWriter.Write(buffer, node, timestampMs, resetNs, restarts);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Test]
    public async Task Write_ModernNode_FamiliesInKubeletNameOrder()
    {
        var (families, _) = PromText.Parse(Body(Cluster.Nodes[0], StartMs));

        await Assert.That(families).IsEquivalentTo(new[]
        {
            "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_start_time_seconds",
            "container_swap_usage_bytes", "node_cpu_usage_seconds_total", "node_memory_working_set_bytes",
            "node_swap_usage_bytes", "pod_cpu_usage_seconds_total", "pod_memory_working_set_bytes", "pod_swap_usage_bytes",
            "resource_scrape_error",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
    }

    [Test]
    public async Task Write_LegacyNode_NoPodOrSwapFamiliesAndAlphaScrapeError()
    {
        var node = Cluster.Nodes[3];
        var body = Body(node, StartMs);
        var (families, _) = PromText.Parse(body);

        await Assert.That(node.Dialect).IsEqualTo(KubeletDialect.Legacy);
        await Assert.That(families).IsEquivalentTo(new[]
        {
            "container_cpu_usage_seconds_total", "container_memory_working_set_bytes", "container_start_time_seconds",
            "node_cpu_usage_seconds_total", "node_memory_working_set_bytes", "scrape_error",
        }, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(body).DoesNotContain("[STABLE]");
        await Assert.That(body).DoesNotContain("# HELP container_start_time_seconds");
    }

    [Test]
    public async Task Write_RealisticNodeOf30Pods_BodyNearKubeletsSize()
    {
        // A 1.29+ kubelet writes about 38 KB for 30 pods of two containers; the simple shape wrote about half that.
        var cluster = SimulatedCluster.Create(new SimulatorOptions { Nodes = 1, PodsPerNode = 30, Seed = 7 }, StartMs * 1_000_000);
        var simple = SimulatedCluster.Create(new SimulatorOptions { Nodes = 1, PodsPerNode = 30, Seed = 7, Shape = SimulatorShape.Simple }, StartMs * 1_000_000);

        var bytes = Encoding.UTF8.GetByteCount(Body(cluster.Nodes[0], StartMs + 60_000));
        var simpleBytes = Encoding.UTF8.GetByteCount(Body(simple.Nodes[0], StartMs + 60_000));

        await Assert.That(bytes).IsBetween(32 * 1024, 46 * 1024);
        await Assert.That(simpleBytes).IsLessThan(bytes * 2 / 3);
    }

    [Test]
    public async Task Write_ModernNode_SwapSeriesAreTheModelsBytes()
    {
        var node = Cluster.Nodes[0];
        var (_, samples) = PromText.Parse(Body(node, StartMs));

        await Assert.That(node.SwapCapacityBytes).IsGreaterThan(0L);
        await Assert.That(PromText.Find(samples, "node_swap_usage_bytes").Value).IsEqualTo(node.SwapBytes);
        await Assert.That(node.Pods.Any(p => p.SwapBytes > 0)).IsTrue();
        foreach (var pod in node.Pods)
        {
            await Assert.That(PromText.Find(samples, "pod_swap_usage_bytes", $"namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"").Value).IsEqualTo(pod.SwapBytes);
            foreach (var c in pod.Containers)
            {
                var labels = $"container=\"{c.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
                await Assert.That(PromText.Find(samples, "container_swap_usage_bytes", labels).Value).IsEqualTo(c.SwapBytes);
            }
        }
    }

    [Test]
    public async Task Write_EveryContainer_HasCpuMemoryAndStartSeries()
    {
        var node = Cluster.Nodes[1];
        var (_, samples) = PromText.Parse(Body(node, StartMs));
        var containers = node.Pods.Sum(p => p.Containers.Length);

        await Assert.That(samples.Count(s => s.Name == "container_cpu_usage_seconds_total")).IsEqualTo(containers);
        await Assert.That(samples.Count(s => s.Name == "container_memory_working_set_bytes")).IsEqualTo(containers);
        await Assert.That(samples.Count(s => s.Name == "container_start_time_seconds")).IsEqualTo(containers);
        await Assert.That(samples.Count(s => s.Name == "pod_cpu_usage_seconds_total")).IsEqualTo(node.Pods.Length);
        await Assert.That(samples.All(s => s.Name == "resource_scrape_error" || s.TimestampMs == StartMs)).IsTrue();
    }

    [Test]
    public async Task Write_TwoTimestamps_DeltaOverTimeIsTheRate()
    {
        var node = Cluster.Nodes[0];
        var (_, first) = PromText.Parse(Body(node, StartMs + 1_000));
        var (_, second) = PromText.Parse(Body(node, StartMs + 16_000));

        await Assert.That(Rate(first, second, "node_cpu_usage_seconds_total")).IsEqualTo(node.CpuNanoCores).Within(1_000.0);
        foreach (var pod in node.Pods)
        {
            foreach (var c in pod.Containers)
            {
                var labels = $"container=\"{c.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
                await Assert.That(Rate(first, second, "container_cpu_usage_seconds_total", labels)).IsEqualTo(c.CpuNanoCores).Within(1_000.0);
                await Assert.That(PromText.Find(second, "container_memory_working_set_bytes", labels).Value).IsEqualTo(c.MemoryBytes);
                await Assert.That(PromText.Find(second, "container_start_time_seconds", labels).Value).IsEqualTo(c.StartUnixNanos / 1e9);
            }
        }
        await Assert.That(PromText.Find(second, "node_memory_working_set_bytes").Value).IsEqualTo(node.MemoryBytes);
    }

    [Test]
    public async Task Write_AfterCounterReset_CountersRestartFromReset()
    {
        var node = Cluster.Nodes[0];
        var (_, samples) = PromText.Parse(Body(node, StartMs + 2_000, resetNs: (StartMs + 1_000) * 1_000_000));

        await Assert.That(PromText.Find(samples, "node_cpu_usage_seconds_total").Value).IsEqualTo(node.CpuNanoCores / 1e9).Within(1e-9);
        var pod = node.Pods[0];
        var labels = $"container=\"{pod.Containers[0].Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
        await Assert.That(PromText.Find(samples, "container_start_time_seconds", labels).Value).IsEqualTo((StartMs + 1_000) / 1e3);
    }

    [Test]
    public async Task Write_AfterContainerRestart_ContainerFromZeroWhilePodAndNodeKeepCounting()
    {
        var node = Cluster.Nodes[1];
        var pod = node.Pods.First(p => p.Containers.Length > 1);
        var restarted = pod.Containers[0];
        var restarts = new ContainerRestarts(Cluster.Nodes.Length);
        const long restartMs = StartMs + 5_000;
        const long atMs = StartMs + 9_000;
        var newRate = restarted.CpuNanoCores + 250_000_000;
        restarts.Restart(node, restarted, restartMs * 1_000_000, newRate);

        var (_, samples) = PromText.Parse(Body(node, atMs, restarts: restarts.For(node.Index)));

        var labels = $"container=\"{restarted.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
        await Assert.That(PromText.Find(samples, "container_cpu_usage_seconds_total", labels).Value).IsEqualTo(newRate * 4.0 / 1e9).Within(1e-9);
        await Assert.That(PromText.Find(samples, "container_start_time_seconds", labels).Value).IsEqualTo(restartMs / 1e3);
        // The pod's cgroup outlives the container: the old rate until the restart, the new one after it.
        var podSeconds = (restarted.CpuNanoCores * ((restartMs * 1e6) - restarted.StartUnixNanos) / 1e18) + (newRate * 4.0 / 1e9);
        foreach (var other in pod.Containers.Skip(1))
            podSeconds += other.CpuNanoCores * ((atMs * 1e6) - other.StartUnixNanos) / 1e18;
        await Assert.That(PromText.Find(samples, "pod_cpu_usage_seconds_total", $"pod=\"{pod.Name}\"").Value).IsEqualTo(podSeconds).Within(1e-6);
        // The node's own rate since boot, plus the change of rate since the restart.
        var nodeSeconds = (node.CpuNanoCores * ((atMs * 1e6) - node.BootUnixNanos) / 1e18) + ((newRate - restarted.CpuNanoCores) * 4.0 / 1e9);
        await Assert.That(PromText.Find(samples, "node_cpu_usage_seconds_total").Value).IsEqualTo(nodeSeconds).Within(1e-6);
        await Assert.That(restarts.For(0)).IsNull();
        await Assert.That(restarts.For(node.Index)!.NodeCpuNanoCores(node)).IsEqualTo(node.CpuNanoCores + newRate - restarted.CpuNanoCores);
    }

    private static double Rate(List<PromText.Sample> a, List<PromText.Sample> b, string name, string labels = "")
    {
        var x = PromText.Find(a, name, labels);
        var y = PromText.Find(b, name, labels);
        return (y.Value - x.Value) / ((y.TimestampMs - x.TimestampMs) / 1e3) * 1e9;
    }
}
