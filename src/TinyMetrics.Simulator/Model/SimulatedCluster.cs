using System.Collections.Frozen;
using System.Net;
using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Model;

/// <summary>
/// The whole simulated cluster: deterministic from <see cref="SimulatorOptions.Seed"/> and the sizes, so tests and
/// benchmarks can rebuild it with <see cref="Create(SimulatorOptions)"/> and know every rate exactly. Only the start
/// times depend on <c>startUnixNanos</c>; the cluster never changes afterwards (a container restart is an overlay,
/// <see cref="ContainerRestarts"/>).
/// </summary>
public sealed class SimulatedCluster
{
    /// <summary>resourceVersion of every list; watches from an older one get 410 Gone.</summary>
    public const long ListResourceVersion = 1_000_000;

    private const long MiB = 1024 * 1024;

    private const long GiB = 1024 * MiB;

    private static readonly string[] NamespaceNames = ["default", "kube-system", "app-a", "app-b", "app-c"];

    private SimulatedCluster(SimulatorOptions options, long startUnixNanos, SimulatedNode[] nodes, SimulatedPod[] pods)
    {
        Options = options;
        StartUnixNanos = startUnixNanos;
        Nodes = nodes;
        Pods = pods;
        NodesByName = nodes.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
        NodesByEndpoint = nodes.ToFrozenDictionary(n => new IPEndPoint(IPAddress.Parse(n.Address), n.KubeletPort));
    }

    public SimulatorOptions Options { get; }

    public long StartUnixNanos { get; }

    /// <summary>Sorted by name.</summary>
    public SimulatedNode[] Nodes { get; }

    /// <summary>Sorted by namespace, then name (etcd key order).</summary>
    public SimulatedPod[] Pods { get; }

    public FrozenDictionary<string, SimulatedNode> NodesByName { get; }

    /// <summary>The nodes whose kubelets this process serves (<see cref="SimulatorOptions.KubeletsFrom"/>).</summary>
    public ArraySegment<SimulatedNode> KubeletNodes =>
        new(Nodes, Options.KubeletsFrom, Options.KubeletsCount < 0 ? Nodes.Length - Options.KubeletsFrom : Options.KubeletsCount);

    /// <summary>By kubelet address and port: on ::1 every node has the same address.</summary>
    public FrozenDictionary<IPEndPoint, SimulatedNode> NodesByEndpoint { get; }

    public static string[] Namespaces => NamespaceNames;

    /// <summary>Builds the cluster with start time now (the rates do not depend on it).</summary>
    public static SimulatedCluster Create(SimulatorOptions options) =>
        Create(options, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);

    public static SimulatedCluster Create(SimulatorOptions options, long startUnixNanos)
    {
        options.Validate();
        var random = new SeededRandom(options.Seed);
        // Swap comes from its own stream so the simple shape draws exactly what it drew before swap existed.
        var swapRandom = new SeededRandom(options.Seed ^ 0x5A4D);
        var names = new PodNamer(random, options.Nodes * options.PodsPerNode);
        var addresses = LoopbackAddresses.Sequence(options.FirstAddress, options.Nodes);
        var width = Math.Max(3, options.Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var nodes = new SimulatedNode[options.Nodes];
        var allPods = new List<SimulatedPod>(options.Nodes * options.PodsPerNode);
        for (var i = 0; i < nodes.Length; i++)
        {
            var name = "sim-node-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
            var dialect = DialectOf(options, i);
            var swapCapacity = dialect == KubeletDialect.Modern && i % 2 == 0 ? swapRandom.Between(2, 8) * GiB : 0;
            var pods = CreatePods(options, random, swapCapacity > 0 ? swapRandom : null, names, name, i, startUnixNanos);
            allPods.AddRange(pods);
            var port = options.IsIpv6 ? options.KubeletPort + i : options.KubeletPort;
            var node = CreateNode(random, i, name, addresses[i].ToString(), port, pods, startUnixNanos);
            long swap = 0;
            if (swapCapacity > 0)
            {
                swap = swapRandom.Between(0, 64) * MiB;
                foreach (var pod in pods)
                    swap += pod.SwapBytes;
            }
            nodes[i] = node with { Dialect = dialect, SwapBytes = swap, SwapCapacityBytes = swapCapacity };
        }
        allPods.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Namespace, b.Namespace);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return new SimulatedCluster(options, startUnixNanos, nodes, [.. allPods]);
    }

    /// <summary>Index of a pod in <see cref="Pods"/> (binary search on namespace, name), or -1.</summary>
    public int IndexOfPod(string ns, string name)
    {
        int lo = 0, hi = Pods.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(Pods[mid].Namespace, ns);
            if (cmp == 0)
                cmp = string.CompareOrdinal(Pods[mid].Name, name);
            if (cmp == 0)
                return mid;
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        return -1;
    }

    public bool TryGetPod(string ns, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SimulatedPod? pod)
    {
        var index = IndexOfPod(ns, name);
        pod = index < 0 ? null : Pods[index];
        return pod is not null;
    }

    /// <summary>Cumulative core-seconds of a counter running at <paramref name="nanoCores"/> since <paramref name="sinceUnixNanos"/>.</summary>
    public static double CpuSeconds(long nanoCores, long sinceUnixNanos, long atUnixNanos) =>
        atUnixNanos <= sinceUnixNanos ? 0 : nanoCores * (double)(atUnixNanos - sinceUnixNanos) / 1e18;

    private static SimulatedNode CreateNode(
        SeededRandom random, int index, string name, string address, int port, SimulatedPod[] pods, long start)
    {
        long cpu = random.Between(200, 1000) * 1_000_000;
        long memory = random.Between(1024, 2048) * 1024 * 1024;
        foreach (var pod in pods)
        {
            cpu += pod.CpuNanoCores;
            memory += pod.MemoryBytes;
        }
        var labels = LabelSet.From(new Dictionary<string, string>
        {
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["node.kubernetes.io/instance-type"] = "sim.large",
            ["topology.kubernetes.io/zone"] = "sim-zone-" + (char)('a' + (index % 3)),
        });
        var boot = start - (48 * 3600 + random.Between(0, 24 * 3600)) * 1_000_000_000L;
        return new SimulatedNode(index, name, random.Uid(), address, port, labels, cpu, memory, boot,
            boot + 60_000_000_000L, (ListResourceVersion - 1 - index).ToString(System.Globalization.CultureInfo.InvariantCulture), pods);
    }

    /// <summary>In the realistic shape every fourth node (index 3, 7, …) runs an older kubelet.</summary>
    public static KubeletDialect DialectOf(SimulatorOptions options, int nodeIndex) =>
        options.Shape == SimulatorShape.Simple ? KubeletDialect.Simple
        : nodeIndex % 4 == 3 ? KubeletDialect.Legacy
        : KubeletDialect.Modern;

    /// <param name="swapRandom">null on a node without swap: every container's swap is 0.</param>
    private static SimulatedPod[] CreatePods(
        SimulatorOptions options, SeededRandom random, SeededRandom? swapRandom, PodNamer names, string nodeName, int nodeIndex, long start)
    {
        var pods = new SimulatedPod[options.PodsPerNode];
        for (var j = 0; j < pods.Length; j++)
        {
            var global = nodeIndex * options.PodsPerNode + j;
            var deployment = names.PickDeployment();
            var podName = names.NewPodName(deployment);
            var containerStart = start - random.Between(3600, 6 * 3600) * 1_000_000_000L;
            var realistic = options.Shape == SimulatorShape.Realistic;
            // Realistic: 1–3 containers, uniform, so the mean is 2 (app, then a sidecar, then a helper).
            var count = realistic
                ? (int)random.Between(1, 3)
                : options.ContainersPerPod + (options.SidecarEvery > 0 && global % options.SidecarEvery == options.SidecarEvery - 1 ? 1 : 0);
            var sidecarAt = realistic ? 1 : options.ContainersPerPod;
            var containers = new SimulatedContainer[count];
            for (var c = 0; c < count; c++)
            {
                var containerName = c == 0 ? deployment.App : c == sidecarAt ? "sidecar" : "helper-" + c;
                var cpu = random.LogBetween(1, 500) * 1_000_000 + random.Next(1_000_000);
                var memory = random.LogBetween(5 * 1024, 500 * 1024) * 1024;
                // About half the containers on a swap node have pages out, in whole 4 KiB pages.
                var swap = swapRandom is not null && swapRandom.Next(2) == 0 ? swapRandom.LogBetween(1, 50 * 256) * 4096 : 0;
                containers[c] = new SimulatedContainer(containerName, cpu, memory,
                    containerStart, "registry.sim.local/" + containerName + ":1.0", swap);
            }
            var labels = LabelSet.From(realistic ? RealisticLabels(deployment) : new Dictionary<string, string>
            {
                ["app"] = deployment.App,
                ["pod-template-hash"] = deployment.Hash,
            });
            var ip = "10.244." + (nodeIndex % 250) + "." + (j % 250 + 2);
            pods[j] = new SimulatedPod(deployment.Namespace, podName, random.Uid(), labels, nodeName, ip,
                containerStart - random.Between(1, 30) * 1_000_000_000L,
                (ListResourceVersion - 100_000 - global).ToString(System.Globalization.CultureInfo.InvariantCulture), containers);
        }
        return pods;
    }

    // 3–5 labels, the same for every pod of a deployment (picked from its hash, so no random draw).
    private static Dictionary<string, string> RealisticLabels(PodNamer.Deployment deployment)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app"] = deployment.App,
            ["pod-template-hash"] = deployment.Hash,
            ["app.kubernetes.io/name"] = deployment.App,
        };
        var extra = deployment.Hash[0] % 3;
        if (extra >= 1)
            labels["app.kubernetes.io/part-of"] = "sim-" + deployment.Namespace;
        if (extra >= 2)
            labels["tier"] = deployment.Hash[1] % 2 == 0 ? "frontend" : "backend";
        return labels;
    }

    internal static string NamespaceFor(int deployment) => NamespaceNames[deployment % NamespaceNames.Length];
}
