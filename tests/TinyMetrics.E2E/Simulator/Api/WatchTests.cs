using System.Text.Json;
using TinyMetrics.Simulator.Model;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
[NotInParallel("simulator-watch")]
public class WatchTests(SimulatorFixture sim)
{
    [Test]
    public async Task WatchNodes_FromZero_AddedForEveryNodeThenBookmark()
    {
        var events = await ReadEventsAsync("/api/v1/nodes?watch=1&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=5",
            SimulatorFixture.Nodes + 1);

        await Assert.That(events.Take(SimulatorFixture.Nodes).All(e => e.Type == "ADDED")).IsTrue();
        await Assert.That(events.Take(SimulatorFixture.Nodes).Select(e => e.Name ?? "")).IsEquivalentTo(sim.Host.Cluster.Nodes.Select(n => n.Name));
        await Assert.That(events[^1].Type).IsEqualTo("BOOKMARK");
        await Assert.That(events[^1].ResourceVersion).IsEqualTo(SimulatedCluster.ListResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task WatchPods_MetadataOnly_AddedEventsCarryPartialObjectMetadata()
    {
        var count = sim.Host.Cluster.Pods.Length;
        var events = await ReadEventsAsync("/api/v1/pods?watch=true&timeoutSeconds=5", count,
            "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");

        await Assert.That(events.Count).IsEqualTo(count);
        await Assert.That(events.All(e => e.Type == "ADDED" && e.Kind == "PartialObjectMetadata")).IsTrue();
    }

    [Test]
    public async Task Watch_SendInitialEvents_AddedThenAnnotatedBookmark()
    {
        var current = SimulatedCluster.ListResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var lines = await ReadLinesAsync(
            $"/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion={current}&allowWatchBookmarks=true",
            SimulatorFixture.Nodes + 1);

        await Assert.That(lines.Take(SimulatorFixture.Nodes).All(l => l.StartsWith("{\"type\":\"ADDED\"", StringComparison.Ordinal))).IsTrue();
        await Assert.That(lines[^1]).Contains("\"type\":\"BOOKMARK\"").And.Contains("\"k8s.io/initial-events-end\":\"true\"");
    }

    [Test]
    public async Task Watch_TooOldResourceVersion_Error410()
    {
        var events = await ReadEventsAsync("/api/v1/pods?watch=true&resourceVersion=5", 1);

        await Assert.That(events[0].Type).IsEqualTo("ERROR");
        await Assert.That(events[0].Code).IsEqualTo(410);
    }

    [Test]
    public async Task Watch_CurrentVersion_HoldsUntilTimeoutWithoutEvents()
    {
        var start = DateTime.UtcNow;
        var events = await ReadEventsAsync($"/api/v1/nodes?watch=true&resourceVersion={sim.Host.Cluster.Nodes.Length + SimulatedCluster.ListResourceVersion}&timeoutSeconds=1", 10);

        await Assert.That(events.Count).IsEqualTo(0);
        await Assert.That(DateTime.UtcNow - start).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }

    private async Task<List<string>> ReadLinesAsync(string path, int max)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken, TimeSpan.FromSeconds(20));
        using var response = await client.GetAsync(sim.Api(path), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var lines = new List<string>();
        while (lines.Count < max && await reader.ReadLineAsync(timeout.Token) is { } line)
            lines.Add(line);
        return lines;
    }

    private async Task<List<WatchEvent>> ReadEventsAsync(string path, int max, string? accept = null)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken, TimeSpan.FromSeconds(20));
        using var request = new HttpRequestMessage(HttpMethod.Get, sim.Api(path));
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<WatchEvent>();
        while (events.Count < max && await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            var obj = doc.RootElement.GetProperty("object");
            var meta = obj.TryGetProperty("metadata", out var m) ? m : default;
            events.Add(new WatchEvent(
                doc.RootElement.GetProperty("type").GetString()!,
                obj.GetProperty("kind").GetString()!,
                meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("name", out var n) ? n.GetString() : null,
                meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null,
                obj.TryGetProperty("code", out var code) ? code.GetInt32() : 0));
        }
        return events;
    }

    private sealed record WatchEvent(string Type, string Kind, string? Name, string? ResourceVersion, int Code);
}
