using System.Text.Json;

namespace TinyMetrics.Discovery.Tests;

public class NodeCacheTests
{
    private static NodeObject Parse(string json) => JsonSerializer.Deserialize(json, KubeJsonContext.Default.NodeObject)!;

    private static void Replace(NodeCache store, params NodeObject[] nodes)
    {
        var batch = store.BeginReplace();
        foreach (var node in nodes)
            batch.Add(node);
        batch.Commit("1");
    }

    [Test]
    public async Task Upsert_HeartbeatOnly_DoesNotDirtyTheView()
    {
        var changes = 0;
        var store = new NodeCache(() => changes++);
        Replace(store, Parse(KubeObjects.Node("node-a", rv: "1")));
        var before = store.Freeze(out _);

        store.Upsert(Parse(KubeObjects.Node("node-a", rv: "2", heartbeat: "2026-01-01T00:05:00Z")));

        await Assert.That(changes).IsEqualTo(1);
        await Assert.That(store.Freeze(out _)).IsSameReferenceAs(before);
    }

    [Test]
    [Arguments("labels")]
    [Arguments("address")]
    [Arguments("port")]
    [Arguments("ready")]
    public async Task Upsert_KeptFieldChanged_DirtiesTheView(string field)
    {
        var changes = 0;
        var store = new NodeCache(() => changes++);
        Replace(store, Parse(KubeObjects.Node("node-a")));
        var before = store.Freeze(out _);

        store.Upsert(Parse(field switch
        {
            "labels" => KubeObjects.Node("node-a", labels: "\"zone\":\"b\""),
            "address" => KubeObjects.Node("node-a", ip: "10.9.9.9"),
            "port" => KubeObjects.Node("node-a", port: 10255),
            _ => KubeObjects.Node("node-a", ready: false),
        }));

        await Assert.That(changes).IsEqualTo(2);
        await Assert.That(store.Freeze(out _)).IsNotSameReferenceAs(before);
    }

    [Test]
    public async Task ToNodeInfo_FullNode_KeepsWhatScrapingNeeds()
    {
        var json = KubeObjects.Node("node-a", labels: "\"zone\":\"a\"", port: 11250)
            .Replace("\"node.alpha.kubernetes.io/ttl\":\"0\"", "\"metrics.k8s.io/resource-metrics-path\":\"/custom\"");

        var info = NodeCache.ToNodeInfo(Parse(json))!;

        await Assert.That(info.Name).IsEqualTo("node-a");
        await Assert.That(info.KubeletPort).IsEqualTo(11250);
        await Assert.That(info.MetricsPath).IsEqualTo("/custom");
        await Assert.That(info.IsReady).IsTrue();
        await Assert.That(info.Addresses.Length).IsEqualTo(2);
        await Assert.That(info.Labels.TryGetValue("zone", out var zone) ? zone : "").IsEqualTo("a");
    }

    [Test]
    public async Task Replace_SameContents_DoesNotDirtyTheView()
    {
        var changes = 0;
        var store = new NodeCache(() => changes++);
        Replace(store, Parse(KubeObjects.Node("node-a")), Parse(KubeObjects.Node("node-b")));

        Replace(store, Parse(KubeObjects.Node("node-b", rv: "9")), Parse(KubeObjects.Node("node-a", rv: "9")));

        await Assert.That(changes).IsEqualTo(1);
        await Assert.That(store.IsSynced).IsTrue();
    }
}
