using System.Globalization;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Flags;

/// <summary>
/// The AOT binary with <c>--secure-port=0</c> beside the session's cluster: as the generic apiserver, it serves
/// nothing (no listening socket at all, so no plain HTTP on localhost:5000) and announces no serving, while
/// discovery and scraping run. A port another process holds ends the start with the generic apiserver's one
/// error line and exit code 1, not a crash. `--version` prints the git version alone, as metrics-server does.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class SecurePortTests(LocalCluster cluster)
{
    [Test]
    public async Task Run_SecurePortZero_ListensNowhereAndKeepsScraping()
    {
        await using var server = BoundedProcess.Start(Artifacts.ServerBinary, [
            $"--kubeconfig={Path.Combine(cluster.Directory, "tinymetrics.kubeconfig")}", "--secure-port=0",
            $"--cert-dir={Path.Combine(cluster.Directory, "certs-port-zero")}", "--metric-resolution=10s", "--kubelet-request-timeout=5s",
            "--kubelet-preferred-address-types=InternalIP", "--v=4"]);

        // Generous: the first cycle starts once discovery has listed, within a second or two on an idle machine.
        await server.WaitForLineAsync(line => line.Contains("Listed nodes", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await server.WaitForLineAsync(line => line.Contains("\"Scrape cycle finished\" nodeCount=" + LocalCluster.NodeCount, StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        await Assert.That(server.HasExited).IsFalse();
        await Assert.That(ListeningSockets(server.Id)).IsEmpty();
        await Assert.That(server.Output).DoesNotContain("Serving securely");
        await Assert.That(server.Output).DoesNotContain("Now listening");
    }

    [Test]
    public async Task Run_SecurePortHeldByAnotherProcess_OneErrorLineAndExitOne()
    {
        var port = FreePort.Next();
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        holder.Start();
        await using var server = BoundedProcess.Start(Artifacts.ServerBinary, [
            $"--kubeconfig={Path.Combine(cluster.Directory, "tinymetrics.kubeconfig")}", "--bind-address=127.0.0.1", $"--secure-port={port}",
            $"--cert-dir={Path.Combine(cluster.Directory, "certs-port-held")}", $"--requestheader-client-ca-file={Path.Combine(cluster.Directory, "front-proxy-ca.crt")}"]);

        // Generous: the start reads certificates and the kubeconfig before it binds, well under a second when idle.
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(50);

        var address = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(server.Output).Contains($"Error: failed to create listener: failed to listen on {address}: listen tcp {address}: bind: address already in use\n");
        await Assert.That(server.Output).DoesNotContain("Exception");
        await Assert.That(server.Output).DoesNotContain("<BaseAddress>");
    }

    [Test]
    public async Task Version_PrintsTheGitVersionAlone()
    {
        await using var process = BoundedProcess.Start(Artifacts.ServerBinary, ["--version"]);

        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(50);

        await Assert.That(code).IsEqualTo(0);
        await Assert.That(process.Output.Trim()).IsEqualTo("v0.1.0");
    }

    // The process's socket inodes that /proc/net/tcp{,6} list in state 0A (LISTEN).
    private static List<string> ListeningSockets(int pid)
    {
        var owned = new HashSet<string>();
        foreach (var fd in Directory.GetFiles($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                owned.Add(target[8..^1]);
        }
        var listening = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A" && owned.Contains(fields[9]))
                    listening.Add(fields[1] + " port " + int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return listening;
    }
}
