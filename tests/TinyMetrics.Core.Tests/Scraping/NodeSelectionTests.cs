using System.Collections.Frozen;
using TinyMetrics.Discovery;

namespace TinyMetrics.Scraping.Tests;

public class NodeSelectionTests
{
    [Test]
    public async Task Select_Predicate_KeepsMatchingNodesIncludingNotReady()
    {
        var gpu = LabelSet.From([new("pool", "gpu")]);
        var cpu = LabelSet.From([new("pool", "cpu")]);
        var nodes = new Dictionary<string, NodeInfo>
        {
            ["a"] = new("a", gpu, [], 0, null, true),
            ["b"] = new("b", cpu, [], 0, null, true),
            ["c"] = new("c", gpu, [], 0, null, false),
        };
        var view = new ClusterView(nodes.ToFrozenDictionary(), FrozenDictionary<PodKey, PodInfo>.Empty, true, true);

        var selected = NodeSelection.Select(view, labels => labels.TryGetValue("pool", out var pool) && pool == "gpu");
        var all = NodeSelection.Select(view, null);

        await Assert.That(selected.Select(n => n.Name).Order().ToArray()).IsEquivalentTo(["a", "c"]);
        await Assert.That(all.Count).IsEqualTo(3);
    }
}
