using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TinyMetrics.Simulator.Api.Tests;

namespace TinyMetrics.Simulator.Tests;

/// <summary>The real kubectl against the simulator (skipped where kubectl is not installed).</summary>
[ClassDataSource<ProxyFixture>(Shared = SharedType.PerClass)]
public class KubectlTests(ProxyFixture fixture)
{
    private SimulatorFixture Sim => fixture.Simulator;

    [Test]
    public async Task GetRaw_Nodes_ListsEveryNode()
    {
        var (code, stdout, stderr) = await KubectlAsync(null, "get", "--raw", "/api/v1/nodes");
        using var json = JsonDocument.Parse(stdout);

        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(json.RootElement.GetProperty("items").GetArrayLength()).IsEqualTo(SimulatorFixture.Nodes);
    }

    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.33")]
    public async Task GetNodes_TablePrinted(string? version)
    {
        var (code, stdout, stderr) = await KubectlAsync(version, "get", "nodes", "-o", "wide");

        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(stdout).Contains("INTERNAL-IP");
        foreach (var node in Sim.Host.Cluster.Nodes)
            await Assert.That(stdout).Contains(node.Name).And.Contains(node.Address);
    }

    [Test]
    public async Task GetPods_AllNamespaces_EveryPodRunning()
    {
        var (code, stdout, stderr) = await KubectlAsync(null, "get", "pods", "-A", "--no-headers");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(lines.Length).IsEqualTo(Sim.Host.Cluster.Pods.Length);
        await Assert.That(lines.All(l => l.Contains("Running", StringComparison.Ordinal))).IsTrue();
    }

    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    public async Task TopNodes_ThroughAggregationProxy_PrintsUpstreamUsage(string? version)
    {
        fixture.Upstream.NodeMetricsJson = NodeMetricsList();

        var (code, stdout, stderr) = await KubectlAsync(version, "top", "nodes");

        await Assert.That(code).IsEqualTo(0).Because(stderr);
        foreach (var node in Sim.Host.Cluster.Nodes)
        {
            var millicores = (node.CpuNanoCores + 999_999) / 1_000_000;
            await Assert.That(stdout).Contains(node.Name);
            await Assert.That(stdout).Contains(millicores.ToString(CultureInfo.InvariantCulture) + "m");
        }
    }

    private string NodeMetricsList()
    {
        var json = new StringBuilder("""{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[""");
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var node in Sim.Host.Cluster.Nodes)
        {
            json.Append(node.Index == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"metadata":{"name":"{{node.Name}}","creationTimestamp":"{{now}}"},"timestamp":"{{now}}","window":"15s",""")
                .Append(CultureInfo.InvariantCulture, $$"""  "usage":{"cpu":"{{node.CpuNanoCores}}n","memory":"{{node.MemoryBytes / 1024}}Ki" """)
                .Append("}}");
        }
        return json.Append("]}").ToString();
    }

    private async Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string? version, params string[] args)
    {
        var kubectl = FindKubectl(version);
        Skip.When(kubectl is null, "kubectl" + (version is null ? "" : "." + version) + " is not installed");
        var start = new ProcessStartInfo(kubectl!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig=" + Sim.Host.KubectlKubeconfig);
        start.ArgumentList.Add("--request-timeout=10s");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = Sim.Host.Directory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kubectl " + string.Join(' ', args) + " did not finish in 30 s");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? FindKubectl(string? version)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, "kubectl");
            if (!File.Exists(path))
                continue;
            if (version is null)
                return path;
            var real = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            var versioned = Path.Combine(Path.GetDirectoryName(real)!, "kubectl." + version);
            return File.Exists(versioned) ? versioned : null;
        }
        return null;
    }
}
