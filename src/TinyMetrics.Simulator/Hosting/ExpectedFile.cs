using System.Text.Json;
using System.Text.Json.Serialization;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Hosting;

/// <summary>expected.json: the exact rates and working sets, for tools that do not link the simulator.</summary>
internal static class ExpectedFile
{
    public const string FileName = "expected.json";

    public static void Write(string directory, SimulatedCluster cluster)
    {
        var nodes = new List<ExpectedNode>(cluster.Nodes.Length);
        foreach (var n in cluster.Nodes)
            nodes.Add(new ExpectedNode(n.Name, n.Address, n.KubeletPort, n.CpuNanoCores, n.MemoryBytes));
        var pods = new List<ExpectedPod>(cluster.Pods.Length);
        foreach (var p in cluster.Pods)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in p.Labels.Pairs)
                labels[key] = value;
            var containers = new List<ExpectedContainer>(p.Containers.Length);
            foreach (var c in p.Containers)
                containers.Add(new ExpectedContainer(c.Name, c.CpuNanoCores, c.MemoryBytes));
            pods.Add(new ExpectedPod(p.Namespace, p.Name, p.NodeName, labels, containers));
        }
        using var stream = File.Create(Path.Combine(directory, FileName));
        JsonSerializer.Serialize(stream, new ExpectedCluster(nodes, pods), ExpectedJsonContext.Default.ExpectedCluster);
    }
}

internal sealed record ExpectedCluster(List<ExpectedNode> Nodes, List<ExpectedPod> Pods);

internal sealed record ExpectedNode(string Name, string Address, int KubeletPort, long CpuNanoCores, long MemoryBytes);

internal sealed record ExpectedPod(
    string Namespace, string Name, string NodeName, Dictionary<string, string> Labels, List<ExpectedContainer> Containers);

internal sealed record ExpectedContainer(string Name, long CpuNanoCores, long MemoryBytes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ExpectedCluster))]
internal sealed partial class ExpectedJsonContext : JsonSerializerContext;
