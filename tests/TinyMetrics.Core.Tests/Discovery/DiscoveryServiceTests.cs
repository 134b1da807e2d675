using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
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

        public Running(FakeApiServer api, DiscoveryOptions? options = null)
        {
            _api = new KubeApiClient(api.BaseUri, new SocketsHttpHandler(), new StaticTokenSource("api-token"));
            Service = new DiscoveryService(_api, options ?? Options, TimeProvider.System, Log);
            _loop = Service.RunAsync(_stop.Token);
        }

        public DiscoveryService Service { get; }

        public EventLog Log { get; } = new();

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
        // As of the last event applied to each (a bookmark changes no object, so it is not one).
        await Assert.That(view.NodesResourceVersion).IsEqualTo("103");
        await Assert.That(view.PodsResourceVersion).IsEqualTo("202");
        await Assert.That(running.Service.WaitForChangeAsync(ClusterView.Empty, CancellationToken.None).IsCompleted).IsTrue();
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
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("node-a")];
        api.Pods = [KubeObjects.Pod("default", "web-1")];
        // Every connection goes to a port nothing listens on (refused) until the API server "comes up".
        var deadPort = GetFreePort();
        var up = 0;
        var refused = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var port = Volatile.Read(ref up) == 1 ? api.Server.Port : deadPort;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref refused);
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var apiClient = new KubeApiClient(new Uri($"http://127.0.0.1:{deadPort}"), handler, null);
        var log = new EventLog();
        var service = new DiscoveryService(apiClient, Options, TimeProvider.System, log);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var loop = service.RunAsync(stop.Token);

        // Several refused attempts per watcher (backoff is 20-100 ms here), each one logged and retried.
        await Eventually(() => Volatile.Read(ref refused) >= 6 && log.Count(1003) >= 6);
        var syncedWhileDown = service.Current.NodesSynced || service.Current.PodsSynced;
        var completedWhileDown = loop.IsCompleted;
        Volatile.Write(ref up, 1);
        await service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var view = service.Current;
        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(syncedWhileDown).IsFalse();
        await Assert.That(completedWhileDown).IsFalse();
        await Assert.That(view.Nodes.Keys.ToArray()).IsEquivalentTo(["node-a"]);
        await Assert.That(view.Pods.Keys.Select(k => k.Namespace + "/" + k.Name).ToArray()).IsEquivalentTo(["default/web-1"]);
        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: false).Length).IsEqualTo(1);
        await Assert.That(loop.IsCompletedSuccessfully).IsTrue();
    }

    [Test]
    public async Task RunAsync_WatchRequestAnswered410_RelistsFromTheNewResourceVersion()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("old-1"), KubeObjects.Node("old-2")];
        var watches = 0;
        // The first node watch is refused with 410, as kube-apiserver refuses a resourceVersion older than its cache.
        api.ExpireWatch = r =>
        {
            if (r.Path != "/api/v1/nodes" || Interlocked.Increment(ref watches) != 1)
                return false;
            api.Nodes = [KubeObjects.Node("new-1")];
            api.NodeListVersion = "300";
            return true;
        };
        await using var running = new Running(api);

        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length >= 2);
        await Eventually(() => running.Service.Current.Nodes.ContainsKey("new-1"));
        var nodeWatches = api.RequestsTo("/api/v1/nodes", watch: true);

        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: false).Length).IsEqualTo(2);
        await Assert.That(nodeWatches[0].Query("resourceVersion")).IsEqualTo("100");
        await Assert.That(nodeWatches[1].Query("resourceVersion")).IsEqualTo("300");
        await Assert.That(running.Service.Current.Nodes.Keys.ToArray()).IsEquivalentTo(["new-1"]);
        await Assert.That(running.Log.Count(1002)).IsEqualTo(1);
        await Assert.That(running.Log.Count(1003)).IsEqualTo(0);
    }

    [Test]
    public async Task RunAsync_ContinueTokenAnswered410_RestartsTheListWithoutThePartialPage()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("old-1"), KubeObjects.Node("old-2"), KubeObjects.Node("old-3")];
        var expired = 0;
        // The continue token of the first list expires; by then the collection has changed.
        api.ExpireList = r =>
        {
            if (r.Path != "/api/v1/nodes" || r.Query("continue") is null || Interlocked.Exchange(ref expired, 1) != 0)
                return false;
            api.Nodes = [KubeObjects.Node("new-1"), KubeObjects.Node("new-2"), KubeObjects.Node("new-3")];
            api.NodeListVersion = "500";
            return true;
        };
        await using var running = new Running(api);

        await running.Service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length >= 1);
        var lists = api.RequestsTo("/api/v1/nodes", watch: false);

        await Assert.That(lists.Select(r => r.Query("continue")).ToArray()).IsEquivalentTo(new string?[] { null, "2", null, "2" },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(running.Service.Current.Nodes.Keys.Order().ToArray()).IsEquivalentTo(["new-1", "new-2", "new-3"]);
        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: true)[0].Query("resourceVersion")).IsEqualTo("500");
    }

    [Test]
    public async Task RunAsync_WatchEventLargerThanTheCap_RelistsAndNeverAppliesIt()
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("node-a"), KubeObjects.Node("node-b")];
        var options = Options with { MaxEventBytes = 4096 };
        var relistReady = new TaskCompletionSource();
        api.NodeWatches.Enqueue(async (stream, ct) =>
        {
            await relistReady.Task.WaitAsync(ct);
            // One event of ~6 KB (a label value of 5,000 bytes) against a 4 KB cap, then a normal one behind it.
            var huge = KubeObjects.Node("huge", rv: "150", labels: $"\"blob\":\"{new string('x', 5000)}\"");
            await TestResponses.WriteChunkAsync(stream, Event("ADDED", huge), ct);
            await TestResponses.WriteChunkAsync(stream, Event("ADDED", KubeObjects.Node("after-huge", rv: "151")), ct);
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        await using var running = new Running(api, options);
        await running.Service.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        api.Nodes = [KubeObjects.Node("node-a"), KubeObjects.Node("node-c")];
        api.NodeListVersion = "400";
        relistReady.SetResult();
        await Eventually(() => api.RequestsTo("/api/v1/nodes", watch: true).Length >= 2);
        await Eventually(() => running.Service.Current.Nodes.ContainsKey("node-c"));
        var nodeWatches = api.RequestsTo("/api/v1/nodes", watch: true);

        await Assert.That(running.Log.Count(1004)).IsEqualTo(1);
        await Assert.That(api.RequestsTo("/api/v1/nodes", watch: false).Length).IsEqualTo(2);
        await Assert.That(nodeWatches[1].Query("resourceVersion")).IsEqualTo("400");
        await Assert.That(running.Service.Current.Nodes.Keys.Order().ToArray()).IsEquivalentTo(["node-a", "node-c"]);
    }

    private static int GetFreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Counts log events by id, so a test can tell which path (expiry, oversize, failure) the watcher took.</summary>
    private sealed class EventLog : ILogger
    {
        private readonly ConcurrentDictionary<int, int> _counts = new();

        public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
    }
}
