using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Scraping.Tests;

/// <summary>
/// --kubelet-metrics-source: a kubelet without /metrics/resource (404) is scraped through the Summary API in the same
/// cycle and straight away in later ones, tries /metrics/resource again every few cycles, and comes back to it when it
/// answers; "summary" asks only the Summary API, "resource" never does. Fake kubelets on 127.98.1.0/24.
/// </summary>
public class ScraperSummaryTests
{
    private const string ResourcePath = "/metrics/resource";
    private const string SummaryPath = "/stats/summary?only_cpu_and_memory=true";

    private const string Summary = """
        {"node": {"nodeName": "node-a", "cpu": {"time": "2023-11-14T22:13:20Z", "usageCoreNanoSeconds": 1234500000000},
          "memory": {"time": "2023-11-14T22:13:20Z", "workingSetBytes": 250000000}},
         "pods": [{"podRef": {"name": "p", "namespace": "ns"}, "containers": [{"name": "app", "startTime": "2023-11-14T21:00:00Z",
          "cpu": {"time": "2023-11-14T22:13:20Z", "usageCoreNanoSeconds": 5000000000}, "memory": {"time": "2023-11-14T22:13:20Z", "workingSetBytes": 1000}}]}]}
        """;

    private static ScrapeOptions Options(KubeletMetricsSource source, int retryCycles = 10) => new()
    {
        UseNodeStatusPort = true,
        PreferredAddressTypes = ["InternalIP"],
        RequestTimeout = TimeSpan.FromSeconds(5),
        JitterPerNode = TimeSpan.Zero,
        Source = source,
        ResourceRetryCycles = retryCycles,
    };

    private static (Scraper Scraper, KubeletClient Client) Create(TestCertificates certs, ScrapeOptions options)
    {
        var credentials = new KubeletCredentials(new Kube.TlsSettings(certs.CaCollection, null, false), null);
        var client = new KubeletClient(credentials, new KubeletClientOptions());
        return (new Scraper(client, options, TimeProvider.System), client);
    }

    private static CancellationToken Cycle() => new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token;

    // A kubelet serving the Summary API, and /metrics/resource only while resourceServed() says so.
    private static TestHandler Kubelet(Func<bool> resourceServed) => async (request, stream, ct) =>
    {
        if (request.Target == SummaryPath)
            await TestResponses.WriteTextAsync(stream, 200, "OK", Summary, ct);
        else if (request.Target == ResourcePath && resourceServed())
            await TestResponses.WriteTextAsync(stream, 200, "OK", TestKubelet.Body, ct);
        else
            await TestResponses.WriteTextAsync(stream, 404, "Not Found", "404 page not found\n", ct);
        return true;
    };

    [Test]
    public async Task ScrapeAsync_Auto_ResourceNotFound_FallsBackToSummaryInTheSameCycle()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.98.1.1", Kubelet(() => false));
        var (scraper, client) = Create(certs, Options(KubeletMetricsSource.Auto));
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error).IsNull();
        await Assert.That(results[0].Batch!.Node.CpuNanoSeconds).IsEqualTo(1_234_500_000_000UL);
        await Assert.That(results[0].Batch!.Containers[0].Container).IsEqualTo("app");
        await Assert.That(kubelet.Server.Requests.Select(r => r.Target).ToArray()).IsEquivalentTo(new[] { ResourcePath, SummaryPath },
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(scraper.SummaryFallbackNodes).IsEqualTo(1);
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(404, 200));
    }

    [Test]
    public async Task ScrapeAsync_Auto_RemembersTheFallback_RetriesResourceEveryNCycles_ReturnsWhenServed()
    {
        using var certs = new TestCertificates();
        var resourceServed = false;
        await using var kubelet = new TestKubelet(certs, "127.98.1.2", Kubelet(() => Volatile.Read(ref resourceServed)));
        var (scraper, client) = Create(certs, Options(KubeletMetricsSource.Auto, retryCycles: 3));
        using var _ = client;
        var node = kubelet.Node("node-a");

        var cycles = new List<string[]>();
        for (var cycle = 0; cycle < 4; cycle++)
        {
            var before = kubelet.Server.Requests.Count;
            var results = await scraper.ScrapeAsync([node], Cycle());
            await Assert.That(results[0].Succeeded).IsTrue();
            cycles.Add(kubelet.Server.Requests.Skip(before).Select(r => r.Target).ToArray());
        }
        Volatile.Write(ref resourceServed, true);
        for (var cycle = 0; cycle < 3; cycle++)
        {
            var before = kubelet.Server.Requests.Count;
            await scraper.ScrapeAsync([node], Cycle());
            cycles.Add(kubelet.Server.Requests.Skip(before).Select(r => r.Target).ToArray());
        }

        // Fallback in cycle 1; Summary only in 2 and 3; resource tried again in 4 (404) and 7 (served), then kept.
        string[][] expected =
        [
            [ResourcePath, SummaryPath], [SummaryPath], [SummaryPath], [ResourcePath, SummaryPath],
            [SummaryPath], [SummaryPath], [ResourcePath],
        ];
        await Assert.That(cycles.Select(c => string.Join(" ", c)).ToArray()).IsEquivalentTo(expected.Select(c => string.Join(" ", c)).ToArray(),
            TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(scraper.SummaryFallbackNodes).IsEqualTo(0);
    }

    [Test]
    public async Task ScrapeAsync_SummarySource_AsksOnlyTheSummaryApi()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.98.1.3", Kubelet(() => true));
        var (scraper, client) = Create(certs, Options(KubeletMetricsSource.Summary));
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Batch!.Node.MemoryBytes).IsEqualTo(250_000_000UL);
        await Assert.That(kubelet.Server.Requests.Select(r => r.Target).ToArray()).IsEquivalentTo(new[] { SummaryPath });
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(0, 200));
    }

    [Test]
    public async Task ScrapeAsync_ResourceSource_NotFound_FailsWithoutAskingTheSummaryApi()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.98.1.4", Kubelet(() => false));
        var (scraper, client) = Create(certs, Options(KubeletMetricsSource.Resource));
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Reason).IsEqualTo(ScrapeFailureReason.HttpStatus);
        await Assert.That(results[0].Error).IsEqualTo("request failed, status: \"404 Not Found\"");
        await Assert.That(kubelet.Server.Requests.Select(r => r.Target).ToArray()).IsEquivalentTo(new[] { ResourcePath });
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(404, 0));
    }

    [Test]
    public async Task ScrapeAsync_Auto_SummaryMalformed_FailsAsUnparsableBody()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.98.1.5", async (request, stream, ct) =>
        {
            var summary = request.Target == SummaryPath;
            await TestResponses.WriteTextAsync(stream, summary ? 200 : 404, summary ? "OK" : "Not Found", summary ? "{\"node\": [" : "", ct);
            return true;
        });
        var (scraper, client) = Create(certs, Options(KubeletMetricsSource.Auto));
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Reason).IsEqualTo(ScrapeFailureReason.UnparsableBody);
        await Assert.That(results[0].Error).StartsWith("decode: ");
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(404, 200));
    }
}
