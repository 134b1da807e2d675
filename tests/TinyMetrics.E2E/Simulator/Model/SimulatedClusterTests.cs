using System.Net;

namespace TinyMetrics.Simulator.Model.Tests;

public class SimulatedClusterTests
{
    private static readonly SimulatorOptions DefaultOptions = new() { Nodes = 50, PodsPerNode = 10, Seed = 3 };

    [Test]
    public async Task Create_SameSeed_SameNamesAndRates()
    {
        var a = SimulatedCluster.Create(DefaultOptions, 1_000_000_000_000);
        var b = SimulatedCluster.Create(DefaultOptions, 2_000_000_000_000);

        await Assert.That(b.Pods.Select(p => p.Name)).IsEquivalentTo(a.Pods.Select(p => p.Name));
        await Assert.That(b.Nodes.Select(n => n.CpuNanoCores)).IsEquivalentTo(a.Nodes.Select(n => n.CpuNanoCores));
        await Assert.That(b.Pods[17].Containers[0].MemoryBytes).IsEqualTo(a.Pods[17].Containers[0].MemoryBytes);
    }

    [Test]
    public async Task Create_Ipv6Loopback_NodesShareAddressOnConsecutivePorts()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions with { Nodes = 3, FirstAddress = IPAddress.IPv6Loopback, KubeletPort = 20000 }, 0);

        await Assert.That(cluster.Nodes.Select(n => n.Address)).IsEquivalentTo(new[] { "::1", "::1", "::1" });
        await Assert.That(cluster.Nodes.Select(n => n.KubeletPort)).IsEquivalentTo(new[] { 20000, 20001, 20002 });
        await Assert.That(cluster.NodesByEndpoint[new IPEndPoint(IPAddress.IPv6Loopback, 20001)].Name).IsEqualTo("sim-node-001");
    }

    [Test]
    [Arguments("::2")]
    [Arguments("10.0.0.1")]
    public async Task Validate_FirstAddressNeitherIpv4LoopbackNorIpv6Loopback_Throws(string address)
    {
        var options = DefaultOptions with { FirstAddress = IPAddress.Parse(address) };

        await Assert.That(options.Validate).Throws<ArgumentException>();
    }

    [Test]
    public async Task Create_OtherSeed_OtherRates()
    {
        var a = SimulatedCluster.Create(DefaultOptions, 0);
        var b = SimulatedCluster.Create(DefaultOptions with { Seed = 4 }, 0);

        await Assert.That(b.Nodes[0].CpuNanoCores).IsNotEqualTo(a.Nodes[0].CpuNanoCores);
    }

    [Test]
    public async Task Create_FiftyNodes_NamesPaddedToThreeDigitsAndPodsUnique()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);

        await Assert.That(cluster.Nodes[0].Name).IsEqualTo("sim-node-000");
        await Assert.That(cluster.Nodes[49].Name).IsEqualTo("sim-node-049");
        await Assert.That(cluster.Pods.Length).IsEqualTo(500);
        await Assert.That(cluster.Pods.Select(p => p.Namespace + "/" + p.Name).Distinct().Count()).IsEqualTo(500);
        await Assert.That(cluster.Pods.Select(p => p.Namespace).Distinct().Count()).IsEqualTo(5);
    }

    [Test]
    public async Task Create_Rates_InDocumentedRangesAndNodeIsBasePlusContainers()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);

        foreach (var node in cluster.Nodes)
        {
            var containers = node.Pods.SelectMany(p => p.Containers).ToList();
            var baseCpu = node.CpuNanoCores - containers.Sum(c => c.CpuNanoCores);
            var baseMemory = node.MemoryBytes - containers.Sum(c => c.MemoryBytes);
            await Assert.That(baseCpu).IsBetween(200_000_000L, 1_000_000_000L);
            await Assert.That(baseMemory).IsBetween(1L << 30, 2L << 30);
            foreach (var c in containers)
            {
                await Assert.That(c.CpuNanoCores).IsBetween(1_000_000L, 501_000_000L);
                await Assert.That(c.MemoryBytes).IsBetween(5L << 20, 500L << 20);
                await Assert.That(c.MemoryBytes % 1024).IsEqualTo(0L);
            }
        }
    }

    [Test]
    public async Task Create_SimpleShape_SidecarEveryFourth_SomePodsHaveTwoContainers()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions with { Shape = SimulatorShape.Simple }, 0);

        await Assert.That(cluster.Pods.Count(p => p.Containers.Length == 2)).IsEqualTo(125);
        await Assert.That(cluster.Pods.Count(p => p.Containers.Length == 1)).IsEqualTo(375);
    }

    [Test]
    public async Task Create_RealisticShape_OneToThreeContainersMeanTwoAndThreeToFiveLabels()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);
        var mean = cluster.Pods.Average(p => p.Containers.Length);

        await Assert.That(cluster.Pods.All(p => p.Containers.Length is >= 1 and <= 3)).IsTrue();
        await Assert.That(mean).IsBetween(1.8, 2.2);
        await Assert.That(cluster.Pods.All(p => p.Labels.Count is >= 3 and <= 5)).IsTrue();
        await Assert.That(cluster.Pods.Select(p => p.Labels.Count).Distinct().Count()).IsEqualTo(3);
    }

    [Test]
    public async Task Create_RealisticShape_EveryFourthNodeLegacyWithoutSwap()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);

        foreach (var node in cluster.Nodes)
        {
            var legacy = node.Index % 4 == 3;
            await Assert.That(node.Dialect).IsEqualTo(legacy ? KubeletDialect.Legacy : KubeletDialect.Modern);
            await Assert.That(node.ReportsSwap).IsEqualTo(!legacy);
            if (node.SwapCapacityBytes == 0)
                await Assert.That(node.SwapBytes).IsEqualTo(0L);
            else
                await Assert.That(node.SwapBytes).IsBetween(node.Pods.Sum(p => p.SwapBytes), node.SwapCapacityBytes);
        }
        await Assert.That(cluster.Nodes.Count(n => n.SwapCapacityBytes > 0)).IsGreaterThan(0);
        await Assert.That(cluster.Nodes.Count(n => n.ReportsSwap && n.SwapCapacityBytes == 0)).IsGreaterThan(0);
    }

    [Test]
    public async Task Create_PodLabels_AppAndTemplateHashMatchName()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);

        foreach (var pod in cluster.Pods)
        {
            pod.Labels.TryGetValue("app", out var app);
            pod.Labels.TryGetValue("pod-template-hash", out var hash);
            await Assert.That(pod.Name).StartsWith(app + "-" + hash + "-");
        }
    }

    [Test]
    public async Task Create_ContainersStartedHoursBeforeStart()
    {
        const long Start = 1_800_000_000_000_000_000;
        var cluster = SimulatedCluster.Create(DefaultOptions, Start);

        foreach (var c in cluster.Pods.SelectMany(p => p.Containers))
            await Assert.That(Start - c.StartUnixNanos).IsBetween(3600_000_000_000L, 6 * 3600_000_000_000L);
    }

    [Test]
    public async Task TryGetPod_EveryPod_FoundAndUnknownNot()
    {
        var cluster = SimulatedCluster.Create(DefaultOptions, 0);

        foreach (var pod in cluster.Pods)
        {
            await Assert.That(cluster.TryGetPod(pod.Namespace, pod.Name, out var found)).IsTrue();
            await Assert.That(found).IsSameReferenceAs(pod);
        }
        await Assert.That(cluster.TryGetPod("default", "nope", out _)).IsFalse();
    }

    [Test]
    public async Task CpuSeconds_OneSecondApart_DifferByRate()
    {
        const long Rate = 123_456_789;
        var a = SimulatedCluster.CpuSeconds(Rate, 0, 86_400_000_000_000);
        var b = SimulatedCluster.CpuSeconds(Rate, 0, 86_401_000_000_000);

        await Assert.That((b - a) * 1e9).IsEqualTo(Rate).Within(1.0);
    }

    [Test]
    [Arguments("127.1.0.1", 3, "127.1.0.3")]
    [Arguments("127.1.0.254", 2, "127.1.1.1")]
    [Arguments("127.1.0.0", 1, "127.1.0.1")]
    [Arguments("127.1.255.254", 2, "127.2.0.1")]
    public async Task LoopbackAddresses_Sequence_SkipsZeroAndBroadcastHostBytes(string first, int count, string last)
    {
        var addresses = LoopbackAddresses.Sequence(IPAddress.Parse(first), count);

        await Assert.That(addresses[^1].ToString()).IsEqualTo(last);
    }

    [Test]
    public async Task LoopbackAddresses_LeavingLoopback_Throws()
    {
        await Assert.That(() => LoopbackAddresses.Sequence(IPAddress.Parse("127.255.255.254"), 2)).Throws<ArgumentException>();
    }
}
