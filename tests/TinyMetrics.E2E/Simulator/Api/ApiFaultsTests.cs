using System.Diagnostics;
using System.Net;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

/// <summary>The simulator's API fault controls; one simulator for the class, its tests one at a time since they share its faults.</summary>
[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
[NotInParallel(nameof(ApiFaultsTests))]
public class ApiFaultsTests(SimulatorFixture sim)
{
    [Test]
    public async Task ApiUnavailable_MetricsServerGets503_AdminStillServed()
    {
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var metricsServer = sim.Client(TokenAuthenticator.MetricsServerToken);
        await SetAsync(admin, "/simulator/faults/api?value=unavailable");
        try
        {
            using var refused = await metricsServer.GetAsync(sim.Api("/api/v1/nodes"));
            using var served = await admin.GetAsync(sim.Api("/api/v1/nodes"));

            await Assert.That(refused.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
            await Assert.That(await refused.Content.ReadAsStringAsync()).Contains("\"reason\":\"ServiceUnavailable\"");
            await Assert.That(served.StatusCode).IsEqualTo(HttpStatusCode.OK);
        }
        finally
        {
            await SetAsync(admin, "/simulator/faults/api?value=none");
        }
        using var again = await metricsServer.GetAsync(sim.Api("/api/v1/nodes"));
        await Assert.That(again.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task ApiSlow_AnswerComesAfterTheDelay()
    {
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var metricsServer = sim.Client(TokenAuthenticator.MetricsServerToken, TimeSpan.FromSeconds(20));
        await SetAsync(admin, "/simulator/faults/api?value=slow&delaySeconds=2");
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await metricsServer.GetAsync(sim.Api("/api/v1/nodes"));

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(clock.Elapsed).IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        }
        finally
        {
            await SetAsync(admin, "/simulator/faults/api?value=none");
        }
    }

    [Test]
    public async Task ReviewsUnavailable_TokenReviewGets503()
    {
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var metricsServer = sim.Client(TokenAuthenticator.MetricsServerToken);
        await SetAsync(admin, "/simulator/faults/reviews?value=unavailable");
        try
        {
            using var body = new StringContent("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"admin-token"}}""",
                System.Text.Encoding.UTF8, "application/json");
            using var response = await metricsServer.PostAsync(sim.Api("/apis/authentication.k8s.io/v1/tokenreviews"), body);

            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            await SetAsync(admin, "/simulator/faults/reviews?value=none");
        }
    }

    [Test]
    public async Task CloseWatches_OpenWatch_EndsWithoutAnEvent_ResourceVersionUnchanged()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken, TimeSpan.FromSeconds(20));
        var version = await ListVersionAsync(client);
        using var watch = await client.GetAsync(sim.Api($"/api/v1/nodes?watch=true&resourceVersion={version}&timeoutSeconds=30"),
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());

        await SetAsync(client, "/simulator/watches/close");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(timeout.Token);

        await Assert.That(line).IsNull();
        await Assert.That(await ListVersionAsync(client)).IsEqualTo(version);
    }

    [Test]
    public async Task Faults_BadValue_Is400_NotAdmin_Is403()
    {
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var metricsServer = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var bad = await admin.PostAsync(sim.Api("/simulator/faults/api?value=slow"), null);
        using var forbidden = await metricsServer.PostAsync(sim.Api("/simulator/faults/api?value=unavailable"), null);

        await Assert.That(bad.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(forbidden.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
    }

    private async Task SetAsync(HttpClient admin, string pathAndQuery)
    {
        using var response = await admin.PostAsync(sim.Api(pathAndQuery), null);
        response.EnsureSuccessStatusCode();
    }

    private async Task<string?> ListVersionAsync(HttpClient client)
    {
        using var list = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(sim.Api("/api/v1/nodes")));
        return list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
    }
}
