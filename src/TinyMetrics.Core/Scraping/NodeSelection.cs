using TinyMetrics.Discovery;

namespace TinyMetrics.Scraping;

/// <summary>Which nodes a cycle scrapes: every node in the view (Ready or not) that matches <c>--node-selector</c>.</summary>
public static class NodeSelection
{
    /// <param name="selector">null selects every node.</param>
    public static List<NodeInfo> Select(ClusterView view, Func<LabelSet, bool>? selector)
    {
        var nodes = view.Nodes.Values;
        var selected = new List<NodeInfo>(nodes.Length);
        foreach (var node in nodes)
        {
            if (selector is null || selector(node.Labels))
                selected.Add(node);
        }
        return selected;
    }
}
