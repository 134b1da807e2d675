using System.Text.Json;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>The simulator's exact truth (expected.json): what every node, pod and container must show.</summary>
public sealed class ExpectedMetrics
{
    public required IReadOnlyList<ExpectedNode> Nodes { get; init; }

    public required IReadOnlyList<ExpectedPod> Pods { get; init; }

    public static ExpectedMetrics Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var nodes = new List<ExpectedNode>();
        foreach (var node in root.GetProperty("nodes").EnumerateArray())
            nodes.Add(new(node.GetProperty("name").GetString()!, node.GetProperty("cpuNanoCores").GetInt64(), node.GetProperty("memoryBytes").GetInt64(),
                Optional(node, "swapBytes"), Optional(node, "swapCapacityBytes")));
        var pods = new List<ExpectedPod>();
        foreach (var pod in root.GetProperty("pods").EnumerateArray())
        {
            var containers = new List<ExpectedNode>();
            foreach (var c in pod.GetProperty("containers").EnumerateArray())
                containers.Add(new(c.GetProperty("name").GetString()!, c.GetProperty("cpuNanoCores").GetInt64(), c.GetProperty("memoryBytes").GetInt64(),
                    Optional(c, "swapBytes")));
            var labels = new Dictionary<string, string>();
            if (pod.TryGetProperty("labels", out var l))
            {
                foreach (var p in l.EnumerateObject())
                    labels[p.Name] = p.Value.GetString()!;
            }
            pods.Add(new(pod.GetProperty("namespace").GetString()!, pod.GetProperty("name").GetString()!, labels, containers,
                pod.TryGetProperty("nodeName", out var nodeName) ? nodeName.GetString()! : ""));
        }
        return new ExpectedMetrics { Nodes = nodes, Pods = pods };
    }

    // Absent where the kubelet reports no swap (an older kubelet) or the node has no swap capacity.
    private static long? Optional(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetInt64() : null;
}

/// <summary>
/// A node or a container: a constant CPU rate, working set and swap usage. <see cref="SwapBytes"/> is null where the
/// kubelet reports no swap, <see cref="SwapCapacityBytes"/> (nodes only) where the Node has no status.nodeInfo.swap.
/// </summary>
public sealed record ExpectedNode(string Name, long CpuNanoCores, long MemoryBytes, long? SwapBytes = null, long? SwapCapacityBytes = null)
{
    /// <summary>kubectl prints Quantity.MilliValue(), which rounds up.</summary>
    public long CpuMillis => (CpuNanoCores + 999_999) / 1_000_000;

    /// <summary>kubectl prints bytes / 2^20, truncated.</summary>
    public long MemoryMi => MemoryBytes / (1024 * 1024);
}

public sealed record ExpectedPod(
    string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<ExpectedNode> Containers, string NodeName = "")
{
    public long CpuNanoCores => Containers.Sum(c => c.CpuNanoCores);

    public long MemoryBytes => Containers.Sum(c => c.MemoryBytes);
}
