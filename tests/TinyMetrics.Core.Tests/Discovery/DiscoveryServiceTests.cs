using static TinyMetrics.Discovery.Tests.FakeApiServer;
using TinyMetrics.Kube;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Discovery.Tests;

public class DiscoveryServiceTests
{
    private static readonly DiscoveryOptions Options = new()
    {
        PageSize = 2,
        CoalesceInterval = TimeSpan.FromMilliseconds(20),
        InitialBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    };

    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(30));
        private readonly KubeApiClient _api;
        private readonly Task _loop;

        public Running(FakeApiServer api)
        {
            _api = new KubeApiClient(api.BaseUri, new SocketsHttpHandler(), new StaticTokenSource("api-token"));
            Service = new DiscoveryService(_api, Options, TimeProvider.System);
            _loop = Service.RunAsync(_stop.Token);
        }

        public DiscoveryService Service { get; }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
            _api.Dispose();
        }
    }

    private static async Task Eventually(Func<bool> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met in time");
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task RunAsync_ListPagesThenWatch_PublishesClusterView()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("node-a", labels: "\"pool\":\"gpu\""), KubeObjects.Node("node-b"), KubeObjects.Node("node-c", ready: false)];
        api.Pods = [KubeObjects.Pod("default", "web-1", labels: "\"app\":\"web\""), KubeObjects.Pod("kube-system", "dns-1")];
        api.NodeWatches.Enqueue(async (stream, ct) =>
        {
            await TestResponses.WriteChunkAsync(stream, Event("ADDED", KubeObjects.Node("node-d", rv: "101", ip: "10.1.0.4")), ct);
            await TestResponses.WriteChunkAsync(stream, Event("MODIFIED", KubeObjects.Node("node-a", rv: "102", labels: "\"pool\":\"cpu\"")), ct);
            await TestResponses.WriteChunkAsync(stream, Event("DELETED", KubeObjects.Node("node-b", rv: "103")), ct);
            await TestResponses.WriteChunkAsync(stream, Event("BOOKMARK", KubeObjects.Bookmark("150")), ct);
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        api.PodWatches.Enqueue(async (stream, ct) =>
        {
            await TestResponses.WriteChunkAsync(stream, Event("ADDED", KubeObjects.Pod("default", "web-2", rv: "201", labels: "\"app\":\"web\"")), ct);
            await TestResponses.WriteChunkAsync(stream, Event("DELETED", KubeObjects.Pod("kube-system", "dns-1", rv: "202")), ct);
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        await using var running = new Running(api);

        await running.Service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => running.Service.Current is var v && v.Nodes.ContainsKey("node-d") && !v.Nodes.ContainsKey("node-b")
            && v.Pods.ContainsKey(new PodKey("default", "web-2")) && !v.Pods.ContainsKey(new PodKey("kube-system", "dns-1")));
        var view = running.Service.Current;

        await Assert.That(view.NodesSynced && view.PodsSynced).IsTrue();
        await Assert.That(view.Nodes.Keys.Order().ToArray()).IsEquivalentTo(["node-a", "node-c", "node-d"]);
        await Assert.That(view.Nodes["node-a"].Labels.TryGetValue("pool", out var pool) ? pool : "").IsEqualTo("cpu");
        await Assert.That(view.Nodes["node-c"].IsReady).IsFalse();
        await Assert.That(view.Nodes["node-d"].Addresses[0]).IsEqualTo(new NodeAddress("InternalIP", "10.1.0.4"));
        await Assert.That(view.Nodes["node-d"].KubeletPort).IsEqualTo(10250);
        await Assert.That(view.Pods.Keys.Select(k => k.Namespace + "/" + k.Name).Order().ToArray()).IsEquivalentTo(["default/web-1", "default/web-2"]);
        await Assert.That(view.Pods[new PodKey("default", "web-2")].Labels.TryGetValue("app", out var app) ? app : "").IsEqualTo("web");
    }

    [Test]
    public async Task RunAsync_Requests_UsePagingMetadataOnlyAcceptAndWatchParameters()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("n1"), KubeObjects.Node("n2"), KubeObjects.Node("n3")];
        await using var running = new Running(api);
        await running.Service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length > 0 && api.RequestsTo("/api/v1/pods", watch: true).Length > 0);

        var nodeLists = api.RequestsTo("/api/v1/nodes", watch: false);
        var nodeWatch = api.RequestsTo("/api/v1/nodes", watch: true)[0];
        var podList = api.RequestsTo("/api/v1/pods", watch: false)[0];
        var podWatch = api.RequestsTo("/api/v1/pods", watch: true)[0];

        await Assert.That(nodeLists.Select(r => r.Query("continue")).ToArray()).IsEquivalentTo(new string?[] { null, "2" });
        await Assert.That(nodeLists[0].Query("limit")).IsEqualTo("2");
        await Assert.That(nodeLists[0].Header("Authorization")).IsEqualTo("Bearer api-token");
        await Assert.That(nodeWatch.Query("resourceVersion")).IsEqualTo("100");
        await Assert.That(nodeWatch.Query("allowWatchBookmarks")).IsEqualTo("true");
        await Assert.That(nodeWatch.Query("timeoutSeconds")).IsNotNull();
        await Assert.That(podList.Query("fieldSelector")).IsEqualTo("status.phase=Running");
        await Assert.That(podList.Header("Accept")).IsEqualTo("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");
        await Assert.That(podWatch.Header("Accept")).IsEqualTo("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json");
        await Assert.That(podWatch.Query("fieldSelector")).IsEqualTo("status.phase=Running");
        await Assert.That(running.Service.Current.Nodes.Count).IsEqualTo(3);
    }

    [Test]
    public async Task RunAsync_WatchErrorGone_Relists()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("old-1"), KubeObjects.Node("old-2")];
        var relistReady = new TaskCompletionSource();
        api.NodeWatches.Enqueue(async (stream, ct) =>
        {
            await relistReady.Task.WaitAsync(ct);
            await TestResponses.WriteChunkAsync(stream, Event("ERROR", KubeObjects.Gone()), ct);
            return true;
        });
        await using var running = new Running(api);
        await running.Service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var before = running.Service.Current.Nodes.Keys.Order().ToArray();

        api.Nodes = [KubeObjects.Node("new-1")];
        api.NodeListVersion = "300";
        relistReady.SetResult();
        await Eventually(() => running.Service.Current.Nodes.ContainsKey("new-1"));
        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length >= 2);

        await Assert.That(before).IsEquivalentTo(["old-1", "old-2"]);
        await Assert.That(running.Service.Current.Nodes.Count).IsEqualTo(1);
        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: true)[1].Query("resourceVersion")).IsEqualTo("300");
    }

    [Test]
    public async Task RunAsync_DroppedConnection_ResumesFromLastResourceVersion()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("node-a")];
        api.NodeWatches.Enqueue(async (stream, ct) =>
        {
            await TestResponses.WriteChunkAsync(stream, Event("ADDED", KubeObjects.Node("node-b", rv: "120")), ct);
            return false; // closes mid-stream, without the final chunk
        });
        await using var running = new Running(api);

        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length >= 2);
        await Eventually(() => running.Service.Current.Nodes.ContainsKey("node-b"));

        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: true)[1].Query("resourceVersion")).IsEqualTo("120");
        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: false).Length).IsEqualTo(1);
        await Assert.That(running.Service.Current.Nodes.Count).IsEqualTo(2);
    }

    [Test]
    public async Task RunAsync_ApiServerDown_KeepsRetryingUntilItAnswers()
    {
        // Nothing listens on this port yet: the loop must survive connection failures.
        var port = GetFreePort();
        using var apiClient = new KubeApiClient(new Uri($"http://127.0.0.1:{port}"), new SocketsHttpHandler(), null);
        var service = new DiscoveryService(apiClient, Options, TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var loop = service.RunAsync(stop.Token);
        await Task.Delay(300);

        await Assert.That(loop.IsCompleted).IsFalse();
        await Assert.That(service.Current.NodesSynced).IsFalse();
        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(loop.IsCompletedSuccessfully).IsTrue();
    }

    private static int GetFreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
