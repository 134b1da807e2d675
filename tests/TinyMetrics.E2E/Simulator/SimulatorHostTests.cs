using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Tests;

public class SimulatorHostTests
{
    [Test]
    public async Task DisposeAsync_WithOpenWatchAndHangingKubelet_StopsQuicklyAndFreesListeners()
    {
        var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        var node = sim.Host.Cluster.Nodes[0];
        sim.Host.SetKubeletMode(node.Name, Kubelets.KubeletMode.Hang);
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken, TimeSpan.FromSeconds(60));
        var watch = client.GetAsync(sim.Api("/api/v1/nodes?watch=1"), HttpCompletionOption.ResponseHeadersRead);
        var hang = client.GetAsync(sim.Kubelet(0));
        await Task.Delay(300);
        var apiPort = sim.Host.ApiUri.Port;

        var stopwatch = Stopwatch.StartNew();
        await sim.DisposeAsync();
        stopwatch.Stop();

        await Assert.That(stopwatch.Elapsed).IsLessThan(TimeSpan.FromSeconds(5));
        await Assert.That(CanConnect(IPAddress.Loopback, apiPort)).IsFalse();
        await Assert.That(CanConnect(IPAddress.Parse(node.Address), node.KubeletPort)).IsFalse();
        await Assert.That(async () => await hang).Throws<Exception>();
        try
        {
            using var response = await watch;
            await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            // Either ending is fine: the stream is over.
        }
    }

    [Test]
    public async Task Executable_Sigterm_PrintsReadyThenExitsZeroAndFreesPort()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tm-sim-exe-" + Guid.NewGuid().ToString("N")[..8]);
        var ready = Path.Combine(dir, "ready");
        var dll = Path.Combine(AppContext.BaseDirectory, "tinymetrics-simulator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--nodes=2", "--pods-per-node=3", "--dir=" + dir, "--api-port=0", "--kubelet-port=0",
            $"--first-address=127.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(1, 250)}.1", "--ready-file=" + ready })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var port = new Uri(line!.Split(' ')[1]["api=".Length..]).Port;
            var readyExisted = File.Exists(ready) && File.Exists(Path.Combine(dir, "expected.json"));
            var listening = CanConnect(IPAddress.Loopback, port);

            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync(timeout.Token);

            await Assert.That(line).StartsWith("READY api=https://127.0.0.1:");
            await Assert.That(readyExisted).IsTrue();
            await Assert.That(listening).IsTrue();
            await Assert.That(process.ExitCode).IsEqualTo(0);
            await Assert.That(CanConnect(IPAddress.Loopback, port)).IsFalse();
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task Executable_BadFlag_ExitsTwoWithUsage()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tinymetrics-simulator.dll"));
        start.ArgumentList.Add("--no-such-flag=1");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stderr = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        await Assert.That(process.ExitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("unknown flag: --no-such-flag");
    }

    [Test]
    [Arguments("--nodes=0")]
    [Arguments("--first-address=10.0.0.1")]
    [Arguments("--api-port=70000")]
    [Arguments("--kubelets=3:1")]
    [Arguments("--kubelets=1:3")]
    [Arguments("--kubelets=1")]
    [Arguments("--kubelet-faults=hang:2:2")]
    [Arguments("--kubelet-faults=sleep:0:1")]
    [Arguments("--kubelet-faults=hang:0")]
    public async Task Parse_OutOfRange_Throws(string flag)
    {
        await Assert.That(() => SimulatorOptions.Parse([flag])).Throws<ArgumentException>();
    }

    [Test]
    public async Task Parse_AllFlags_Read()
    {
        var options = SimulatorOptions.Parse(["--nodes=50", "--pods-per-node", "30", "--dir=/tmp/x", "--api-port=6443",
            "--metrics-server=https://127.0.0.1:4443", "--kubelet-port=10250", "--first-address=127.3.0.1",
            "--containers-per-pod=2", "--seed=9", "--ready-file=/tmp/r"]);

        await Assert.That(options.Nodes).IsEqualTo(50);
        await Assert.That(options.PodsPerNode).IsEqualTo(30);
        await Assert.That(options.MetricsServer!.Port).IsEqualTo(4443);
        await Assert.That(options.FirstAddress.ToString()).IsEqualTo("127.3.0.1");
        await Assert.That(options.ContainersPerPod).IsEqualTo(2);
        await Assert.That(options.ReadyFile).IsEqualTo("/tmp/r");
    }

    [Test]
    public async Task Parse_KubeletFaults_ReadInOrder()
    {
        var options = SimulatorOptions.Parse(["--nodes=3", "--kubelet-faults=hang:0:1, refuse:1:1,slow:2:1"]);

        await Assert.That(options.KubeletFaults).IsEquivalentTo(
            [new KubeletFault(Kubelets.KubeletMode.Hang, 0, 1), new KubeletFault(Kubelets.KubeletMode.Refuse, 1, 1), new KubeletFault(Kubelets.KubeletMode.Slow, 2, 1)]);
    }

    [Test]
    public async Task SlowKubelet_AnswersAtOnce_ThenOneBytePerSecond()
    {
        await using var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        sim.Host.SetKubeletMode(sim.Host.Cluster.Nodes[0].Name, Kubelets.KubeletMode.Slow);
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken, TimeSpan.FromSeconds(60));

        using var response = await client.GetAsync(sim.Kubelet(0), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var first = await body.ReadAsync(buffer);
        var stopwatch = Stopwatch.StartNew();
        var second = await body.ReadAsync(buffer);
        stopwatch.Stop();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentLength ?? 0).IsGreaterThan(100);
        await Assert.That(first).IsEqualTo(1);
        await Assert.That(second).IsEqualTo(1);
        await Assert.That(stopwatch.Elapsed).IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }

    [Test]
    public async Task KubeletsFlag_ServesOnlyThatRange_WhileTheModelStaysWhole()
    {
        var options = SimulatorOptions.Parse(["--nodes=3", "--kubelets=1:1"]);

        var cluster = SimulatedCluster.Create(options);

        await Assert.That(cluster.Nodes.Length).IsEqualTo(3);
        await Assert.That(cluster.KubeletNodes.Select(n => n.Name)).IsEquivalentTo([cluster.Nodes[1].Name]);
        await Assert.That(SimulatedCluster.Create(SimulatorOptions.Parse(["--nodes=3", "--kubelets=1:-1"])).KubeletNodes.Count).IsEqualTo(2);
    }

    private static bool CanConnect(IPAddress address, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(address, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
