using System.Globalization;
using System.Net;
using TinyMetrics.E2E.Infrastructure;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Model;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Kubelets.Tests;

/// <summary>
/// <c>POST /simulator/pods/NS/NAME/containers/C/restart</c>: the kubelet then shows what a restarted container shows
/// (its counter from zero, a newer start time, the new rate), its pod's and node's counters keep counting, and
/// expected.json holds the new rates.
/// </summary>
[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
[NotInParallel("simulator-container-restarts")]
public class ContainerRestartTests(SimulatorFixture sim)
{
    [Test]
    public async Task Restart_NewRate_CounterFromZeroNewerStartAndExpectedFileRewritten()
    {
        var node = sim.Host.Cluster.Nodes[0];
        var pod = node.Pods[0];
        var container = pod.Containers[0];
        var newRate = container.CpuNanoCores * 3 + 7_000_000;
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        var before = await ScrapeAsync(client, pod, container);

        var answer = await RestartAsync(pod, container, $"?cpuNanoCores={newRate}");
        var first = await ScrapeAsync(client, pod, container);
        var second = await ScrapeLaterAsync(client, pod, container, first.TimestampMs);
        var expected = ExpectedMetrics.Load(sim.Host.ExpectedFile);

        var startMs = Field(answer, "startUnixMs");
        await Assert.That(answer).StartsWith($"restarted {pod.Namespace}/{pod.Name}/{container.Name} ");
        await Assert.That(Field(answer, "cpuNanoCores")).IsEqualTo(newRate);
        await Assert.That(startMs).IsGreaterThanOrEqualTo(before.TimestampMs);
        // Seconds near 1.8e9 as a double are exact to about 2.4e-7 s, and the exposition prints the shortest text of its double.
        await Assert.That(before.Start).IsEqualTo(container.StartUnixNanos / 1e9).Within(1e-6);
        await Assert.That(first.Start).IsEqualTo(startMs / 1e3).Within(1e-6);
        // From zero at the restart, at the new rate: rate × (timestamp − start), for the exact timestamp printed.
        await Assert.That(first.Counter).IsEqualTo(newRate * (first.TimestampMs - startMs) / 1e12).Within(1e-9);
        await Assert.That(first.Counter).IsLessThan(before.Counter);
        await Assert.That(Rate(first.Counter, second.Counter, first, second)).IsEqualTo(newRate).Within(1_000.0);
        await Assert.That(first.PodCounter).IsGreaterThan(before.PodCounter);
        await Assert.That(first.NodeCounter).IsGreaterThan(before.NodeCounter);
        await Assert.That(Rate(first.NodeCounter, second.NodeCounter, first, second)).IsEqualTo(node.CpuNanoCores + newRate - container.CpuNanoCores).Within(1_000.0);
        await Assert.That(expected.Pods.Single(p => p.Name == pod.Name).Containers.Single(c => c.Name == container.Name).CpuNanoCores).IsEqualTo(newRate);
        await Assert.That(expected.Nodes.Single(n => n.Name == node.Name).CpuNanoCores).IsEqualTo(node.CpuNanoCores + newRate - container.CpuNanoCores);
        await Assert.That(expected.Nodes.Single(n => n.Name == sim.Host.Cluster.Nodes[1].Name).CpuNanoCores).IsEqualTo(sim.Host.Cluster.Nodes[1].CpuNanoCores);
    }

    [Test]
    public async Task Restart_WithoutRate_KeepsTheRateAndStartsLater()
    {
        var pod = sim.Host.Cluster.Nodes[1].Pods[0];
        var container = pod.Containers[0];
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);

        var first = Field(await RestartAsync(pod, container, ""), "startUnixMs");
        var second = await RestartAsync(pod, container, "");
        var scrape = await ScrapeAsync(client, pod, container);

        await Assert.That(Field(second, "cpuNanoCores")).IsEqualTo(container.CpuNanoCores);
        await Assert.That(Field(second, "startUnixMs")).IsGreaterThan(first);
        await Assert.That(scrape.Start).IsEqualTo(Field(second, "startUnixMs") / 1e3).Within(1e-6);
    }

    [Test]
    public async Task Restart_BadRequests_AreRefused()
    {
        var pod = sim.Host.Cluster.Pods[0];
        var path = $"/simulator/pods/{pod.Namespace}/{pod.Name}/containers/{pod.Containers[0].Name}/restart";
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var other = sim.Client(TokenAuthenticator.MetricsServerToken);

        using var noPod = await admin.PostAsync(sim.Api($"/simulator/pods/{pod.Namespace}/no-such-pod/containers/x/restart"), null);
        using var noContainer = await admin.PostAsync(sim.Api($"/simulator/pods/{pod.Namespace}/{pod.Name}/containers/no-such/restart"), null);
        using var badRate = await admin.PostAsync(sim.Api(path + "?cpuNanoCores=-5"), null);
        using var notAdmin = await other.PostAsync(sim.Api(path), null);

        await Assert.That(noPod.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(noContainer.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(badRate.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(notAdmin.StatusCode).IsEqualTo(HttpStatusCode.Forbidden);
    }

    private sealed record Scrape(long TimestampMs, double Counter, double Start, double PodCounter, double NodeCounter);

    private async Task<string> RestartAsync(SimulatedPod pod, SimulatedContainer container, string query)
    {
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await admin.PostAsync(
            sim.Api($"/simulator/pods/{pod.Namespace}/{pod.Name}/containers/{container.Name}/restart{query}"), null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync()).Trim();
    }

    private async Task<Scrape> ScrapeAsync(HttpClient client, SimulatedPod pod, SimulatedContainer container)
    {
        var node = sim.Host.Cluster.NodesByName[pod.NodeName].Index;
        var (_, samples) = PromText.Parse(await client.GetStringAsync(sim.Kubelet(node)));
        var labels = $"container=\"{container.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"";
        var counter = PromText.Find(samples, "container_cpu_usage_seconds_total", labels);
        return new Scrape(counter.TimestampMs, counter.Value, PromText.Find(samples, "container_start_time_seconds", labels).Value,
            PromText.Find(samples, "pod_cpu_usage_seconds_total", $"namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"").Value,
            PromText.Find(samples, "node_cpu_usage_seconds_total").Value);
    }

    // A scrape with a later (millisecond) timestamp than the last one, so the two give a rate.
    private async Task<Scrape> ScrapeLaterAsync(HttpClient client, SimulatedPod pod, SimulatedContainer container, long afterMs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            var scrape = await ScrapeAsync(client, pod, container);
            if (scrape.TimestampMs > afterMs + 10)
                return scrape;
        }
        throw new TimeoutException("the kubelet's timestamps did not advance in 30 s");
    }

    private static double Rate(double from, double to, Scrape a, Scrape b) => (to - from) / ((b.TimestampMs - a.TimestampMs) / 1e3) * 1e9;

    private static long Field(string answer, string name) =>
        long.Parse(answer.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}
