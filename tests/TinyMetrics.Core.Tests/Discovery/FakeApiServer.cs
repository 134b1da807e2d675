using System.Collections.Concurrent;
using System.Net;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Discovery.Tests;

/// <summary>Writes one watch response's events; returns false to drop the connection without ending the stream.</summary>
public delegate Task<bool> WatchScript(Stream stream, CancellationToken cancellationToken);

/// <summary>
/// A minimal plain-HTTP Kubernetes API on loopback: paginated lists of nodes and pods (items are
/// JSON strings, replaceable between lists) and scripted watch responses; a watch with no script
/// left stays open and silent. A list or watch request can also be answered 410 Gone outright, as
/// kube-apiserver answers an expired continue token or a resourceVersion older than its watch cache.
/// </summary>
public sealed class FakeApiServer : IAsyncDisposable
{
    public FakeApiServer(string address = "127.0.0.1")
    {
        Server = new LoopbackHttpServer(IPAddress.Parse(address), null, HandleAsync);
    }

    public LoopbackHttpServer Server { get; }

    public Uri BaseUri => Server.BaseUri;

    public List<string> Nodes { get; set; } = [];

    public List<string> Pods { get; set; } = [];

    public string NodeListVersion { get; set; } = "100";

    public string PodListVersion { get; set; } = "200";

    public ConcurrentQueue<WatchScript> NodeWatches { get; } = new();

    public ConcurrentQueue<WatchScript> PodWatches { get; } = new();

    /// <summary>Called for every list request; true answers it 410 Gone (the callback may change the lists first).</summary>
    public Func<TestRequest, bool>? ExpireList { get; set; }

    /// <summary>Called for every watch request; true answers it 410 Gone instead of running a script.</summary>
    public Func<TestRequest, bool>? ExpireWatch { get; set; }

    public TestRequest[] RequestsTo(string path, bool watch) =>
        Server.Requests.Where(r => r.Path == path && (r.Query("watch") == "true") == watch).ToArray();

    public static string Event(string type, string objectJson) => $"{{\"type\":\"{type}\",\"object\":{objectJson}}}\n";

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task<bool> HandleAsync(TestRequest request, Stream stream, CancellationToken cancellationToken)
    {
        var isNodes = request.Path == "/api/v1/nodes";
        if (!isNodes && request.Path != "/api/v1/pods")
        {
            await TestResponses.WriteTextAsync(stream, 404, "Not Found", "not found", cancellationToken);
            return true;
        }
        if (request.Query("watch") != "true")
        {
            if (ExpireList?.Invoke(request) == true)
            {
                await WriteGoneAsync(stream, cancellationToken);
                return true;
            }
            await WriteListPageAsync(request, stream, isNodes ? Nodes : Pods, isNodes ? NodeListVersion : PodListVersion, cancellationToken);
            return true;
        }
        if (ExpireWatch?.Invoke(request) == true)
        {
            await WriteGoneAsync(stream, cancellationToken);
            return true;
        }
        await TestResponses.BeginChunkedAsync(stream, "application/json", cancellationToken);
        if (!(isNodes ? NodeWatches : PodWatches).TryDequeue(out var script))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return false;
        }
        if (!await script(stream, cancellationToken))
            return false;
        await TestResponses.EndChunkedAsync(stream, cancellationToken);
        return true;
    }

    private static Task WriteGoneAsync(Stream stream, CancellationToken cancellationToken) =>
        TestResponses.WriteAsync(stream, 410, "Gone", System.Text.Encoding.UTF8.GetBytes(KubeObjects.Gone()), "application/json", cancellationToken);

    private static Task WriteListPageAsync(TestRequest request, Stream stream, List<string> items, string version, CancellationToken cancellationToken)
    {
        var limit = int.Parse(request.Query("limit") ?? "1000000");
        var start = int.Parse(request.Query("continue") is { Length: > 0 } token ? token : "0");
        var page = items.Skip(start).Take(limit).ToArray();
        var next = start + page.Length < items.Count ? (start + page.Length).ToString() : "";
        var json = $"{{\"kind\":\"List\",\"metadata\":{{\"resourceVersion\":\"{version}\",\"continue\":\"{next}\"}},\"items\":[{string.Join(',', page)}]}}";
        return TestResponses.WriteJsonAsync(stream, json, cancellationToken);
    }
}
