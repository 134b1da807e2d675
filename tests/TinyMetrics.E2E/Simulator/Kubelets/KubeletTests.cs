using System.Net;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
public class KubeletTests(SimulatorFixture sim)
{
    [Test]
    [Arguments(null)]
    [Arguments(TokenAuthenticator.AdminToken)]
    public async Task MetricsResource_WithoutServiceAccountToken_Is401(string? token)
    {
        using var client = sim.Client(token);
        using var response = await client.GetAsync(sim.Kubelet(0));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task MetricsResource_EveryNode_ServesItsOwnPodsOverCertificateForItsIp()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        for (var i = 0; i < SimulatorFixture.Nodes; i++)
        {
            var node = sim.Host.Cluster.Nodes[i];
            using var response = await client.GetAsync(sim.Kubelet(i));
            var (_, samples) = PromText.Parse(await response.Content.ReadAsStringAsync());

            await Assert.That(response.Content.Headers.ContentType!.ToString()).StartsWith("text/plain; version=0.0.4");
            await Assert.That(samples.Count(s => s.Name == "pod_memory_working_set_bytes")).IsEqualTo(node.Pods.Length);
            await Assert.That(PromText.Find(samples, "node_memory_working_set_bytes").Value).IsEqualTo(node.MemoryBytes);
        }
    }

    [Test]
    public async Task MetricsResource_TwoScrapesASecondApart_CpuRateWithinOneMillicore()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        var node = sim.Host.Cluster.Nodes[2];
        var (_, first) = PromText.Parse(await client.GetStringAsync(sim.Kubelet(2)));
        await Task.Delay(TimeSpan.FromMilliseconds(1100));
        var (_, second) = PromText.Parse(await client.GetStringAsync(sim.Kubelet(2)));

        await Assert.That(Rate(first, second, "node_cpu_usage_seconds_total", "")).IsEqualTo(node.CpuNanoCores).Within(1_000_000.0);
        foreach (var pod in node.Pods)
        {
            foreach (var c in pod.Containers)
            {
                var labels = $"container=\"{c.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
                await Assert.That(Rate(first, second, "container_cpu_usage_seconds_total", labels)).IsEqualTo(c.CpuNanoCores).Within(1_000_000.0);
            }
        }
    }

    [Test]
    public async Task UnknownPath_Is404()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var response = await client.GetAsync(sim.Kubelet(0, "/stats/container"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task StatsSummary_ServiceAccountToken_ServesTheNodesSummaryJson()
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var response = await client.GetAsync(sim.Kubelet(1, "/stats/summary?only_cpu_and_memory=true"));
        var body = await response.Content.ReadAsByteArrayAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/json");
        var batch = new TinyMetrics.Parsing.NodeBatch();
        await Assert.That(new TinyMetrics.Parsing.SummaryParser().TryParse(body, 0, batch, out _)).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(sim.Host.Cluster.Nodes[1].Pods.Sum(p => p.Containers.Length));
    }

    [Test]
    public async Task StatsSummary_WithoutServiceAccountToken_Is401()
    {
        using var client = sim.Client(null);
        using var response = await client.GetAsync(sim.Kubelet(0, "/stats/summary"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    private static double Rate(List<PromText.Sample> a, List<PromText.Sample> b, string name, string labels)
    {
        var x = PromText.Find(a, name, labels);
        var y = PromText.Find(b, name, labels);
        return (y.Value - x.Value) * 1e9 / ((y.TimestampMs - x.TimestampMs) / 1e3);
    }
}
