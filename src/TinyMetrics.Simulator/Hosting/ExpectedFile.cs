using System.Text.Json;
using System.Text.Json.Serialization;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Hosting;

/// <summary>
/// expected.json: the exact rates and working sets, for tools that do not link the simulator. Rewritten (atomically,
/// as every file of the simulator) when a container restarts at a new rate, so it always holds the rates served now.
/// </summary>
internal static class ExpectedFile
{
    public const string FileName = "expected.json";

    public static void Write(string directory, SimulatedCluster cluster, ContainerRestarts? restarts = null)
    {
        var nodes = new List<ExpectedNode>(cluster.Nodes.Length);
        foreach (var n in cluster.Nodes)
        {
            var cpu = restarts?.For(n.Index)?.NodeCpuNanoCores(n) ?? n.CpuNanoCores;
            nodes.Add(new ExpectedNode(n.Name, n.Address, n.KubeletPort, cpu, n.MemoryBytes,
                n.ReportsSwap ? n.SwapBytes : null, n.SwapCapacityBytes > 0 ? n.SwapCapacityBytes : null));
        }
        var pods = new List<ExpectedPod>(cluster.Pods.Length);
        foreach (var p in cluster.Pods)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in p.Labels.Pairs)
                labels[key] = value;
            var node = cluster.NodesByName[p.NodeName];
            var onNode = restarts?.For(node.Index);
            var containers = new List<ExpectedContainer>(p.Containers.Length);
            foreach (var c in p.Containers)
                containers.Add(new ExpectedContainer(c.Name, onNode?.Current(c).CpuNanoCores ?? c.CpuNanoCores, c.MemoryBytes, node.ReportsSwap ? c.SwapBytes : null));
            pods.Add(new ExpectedPod(p.Namespace, p.Name, p.NodeName, labels, containers));
        }
        var path = Path.Combine(directory, FileName);
        var temp = Path.Combine(directory, "." + FileName + "." + Environment.ProcessId + ".tmp");
        using (var stream = File.Create(temp))
            JsonSerializer.Serialize(stream, new ExpectedCluster(nodes, pods), ExpectedJsonContext.Default.ExpectedCluster);
        File.Move(temp, path, overwrite: true);
    }
}

internal sealed record ExpectedCluster(List<ExpectedNode> Nodes, List<ExpectedPod> Pods);

// Swap is null where the kubelet does not report it (an older kubelet), as the metrics API then has no swap key.
internal sealed record ExpectedNode(
    string Name, string Address, int KubeletPort, long CpuNanoCores, long MemoryBytes, long? SwapBytes, long? SwapCapacityBytes);

internal sealed record ExpectedPod(
    string Namespace, string Name, string NodeName, Dictionary<string, string> Labels, List<ExpectedContainer> Containers);

internal sealed record ExpectedContainer(string Name, long CpuNanoCores, long MemoryBytes, long? SwapBytes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ExpectedCluster))]
internal sealed partial class ExpectedJsonContext : JsonSerializerContext;
