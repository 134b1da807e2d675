using System.Net;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
[NotInParallel("simulator-kubelet-modes")]
public class KubeletFaultTests(SimulatorFixture sim)
{
    [Test]
    public async Task Mode_Error500_Answers500ThenNormalAgain()
    {
        await SetModeAsync(0, "error500");
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var failed = await client.GetAsync(sim.Kubelet(0));
        await SetModeAsync(0, "normal");
        using var ok = await client.GetAsync(sim.Kubelet(0));

        await Assert.That(failed.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(ok.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Mode_Garbage_BodyIsNotPrometheusText()
    {
        await SetModeAsync(1, "garbage");
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        var body = await client.GetStringAsync(sim.Kubelet(1));
        await SetModeAsync(1, "normal");

        await Assert.That(() => PromText.Parse(body)).Throws<FormatException>();
    }

    [Test]
    public async Task Mode_Hang_ClientTimesOut()
    {
        await SetModeAsync(2, "hang");
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken, TimeSpan.FromMilliseconds(700));
        var started = DateTime.UtcNow;
        Exception? error = null;
        try
        {
            await client.GetAsync(sim.Kubelet(2));
        }
        catch (TaskCanceledException e)
        {
            error = e;
        }
        await SetModeAsync(2, "normal");

        await Assert.That(error).IsNotNull();
        await Assert.That(DateTime.UtcNow - started).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(600));
    }

    [Test]
    public async Task Mode_Huge_BodyFarLargerThanNormal()
    {
        await SetModeAsync(0, "huge");
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken, TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync(sim.Kubelet(0), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while (total < 8 * 1024 * 1024 && (read = await stream.ReadAsync(buffer)) > 0)
            total += read;
        await SetModeAsync(0, "normal");

        await Assert.That(total).IsGreaterThanOrEqualTo(8L * 1024 * 1024);
    }

    [Test]
    public async Task Mode_CounterReset_NodeCounterDropsToSeconds()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        var (_, before) = PromText.Parse(await client.GetStringAsync(sim.Kubelet(1)));
        var mode = await SetModeAsync(1, "counter-reset");
        var (_, after) = PromText.Parse(await client.GetStringAsync(sim.Kubelet(1)));

        await Assert.That(mode).IsEqualTo("normal");
        await Assert.That(PromText.Find(before, "node_cpu_usage_seconds_total").Value).IsGreaterThan(1000.0);
        await Assert.That(PromText.Find(after, "node_cpu_usage_seconds_total").Value).IsLessThan(30.0);
    }

    [Test]
    public async Task SetMode_UnknownValueOrNode_Rejected()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var badValue = await client.PostAsync(sim.Api("/simulator/nodes/" + sim.Host.Cluster.Nodes[0].Name + "/mode?value=explode"), null);
        using var badNode = await client.PostAsync(sim.Api("/simulator/nodes/nope/mode?value=hang"), null);

        await Assert.That(badValue.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(badNode.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }

    private async Task<string> SetModeAsync(int node, string mode)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await client.PostAsync(
            sim.Api($"/simulator/nodes/{sim.Host.Cluster.Nodes[node].Name}/mode?value={mode}"), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Trim();
    }
}
