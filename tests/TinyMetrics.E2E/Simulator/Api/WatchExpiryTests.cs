using System.Net;
using System.Text.Json;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
public class WatchExpiryTests(SimulatorFixture sim)
{
    [Test]
    public async Task ExpireWatches_OpenWatch_EndsWith410AndListVersionMovesOn()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken, TimeSpan.FromSeconds(20));
        using var list = JsonDocument.Parse(await client.GetStringAsync(sim.Api("/api/v1/nodes")));
        var version = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var watch = await client.GetAsync(sim.Api($"/api/v1/nodes?watch=true&resourceVersion={version}&timeoutSeconds=30"),
            HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());

        using var expire = await client.PostAsync(sim.Api("/simulator/watches/expire"), null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(timeout.Token);
        using var after = JsonDocument.Parse(await client.GetStringAsync(sim.Api("/api/v1/nodes")));

        await Assert.That(expire.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(line).Contains("\"type\":\"ERROR\"");
        await Assert.That(line).Contains("\"code\":410");
        await Assert.That(after.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()).IsNotEqualTo(version);
    }

    [Test]
    public async Task ExpireWatches_NotAdmin_Is403()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var response = await client.PostAsync(sim.Api("/simulator/watches/expire"), null);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
    }
}
