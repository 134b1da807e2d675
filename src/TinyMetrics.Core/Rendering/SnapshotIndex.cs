using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>The order the pre-rendered byte ranges rely on, checked once per snapshot.</summary>
internal static class SnapshotIndex
{
    public static void EnsureSorted(MetricsSnapshot snapshot)
    {
        var nodes = snapshot.Nodes;
        for (var i = 1; i < nodes.Length; i++)
        {
            if (string.CompareOrdinal(nodes[i - 1].Name, nodes[i].Name) > 0)
                throw new ArgumentException($"Nodes are not sorted by name at index {i}.", nameof(snapshot));
        }
        var pods = snapshot.Pods;
        for (var i = 1; i < pods.Length; i++)
        {
            if (MetricsSnapshot.ComparePod(pods[i - 1], pods[i].Namespace, pods[i].Name) > 0)
                throw new ArgumentException($"Pods are not sorted by (namespace, name) at index {i}.", nameof(snapshot));
        }
    }
}
