using System.Diagnostics;
using System.Net;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The published binary marks itself non-dumpable, so its tokens and keys never reach a core file.
/// The kernel shows that as /proc/PID entries owned by root while the process runs as another user: as root the
/// test starts it as nobody (65534), otherwise it runs as the test's own (non-root) user.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CoreDumpTests
{
    [Test]
    public async Task Server_RunningAsNobody_IsNonDumpableAndStillServes()
    {
        var dir = Directory.CreateTempSubdirectory("tinymetrics-dump-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        var kubeconfig = Path.Combine(dir, "unreachable.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}\n"
            + "users:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n");
        File.SetUnixFileMode(kubeconfig, (UnixFileMode)0b110_100_100);
        // A copy in the temp folder: the checkout may sit where nobody cannot traverse.
        var binary = Path.Combine(dir, "tinymetrics");
        File.Copy(Artifacts.ServerBinary, binary);
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);
        var port = FreePort.Next();
        string[] flags = [$"--kubeconfig={kubeconfig}", "--bind-address=127.0.0.1", $"--secure-port={port}", $"--cert-dir={dir}/certs",
            "--authentication-skip-lookup", "--metric-resolution=10s", "--kubelet-request-timeout=5s"];
        var ownUid = UidsOf(await File.ReadAllTextAsync("/proc/self/status"))[0];
        var asRoot = ownUid == "0";
        await using var server = asRoot
            ? BoundedProcess.Start("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary, .. flags])
            : BoundedProcess.Start(binary, flags);
        try
        {
            await server.WaitForLineAsync(line => line.Contains("Serving securely", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

            var owner = await RunAsync("stat", "-c", "%u", $"/proc/{server.Id}/environ");
            var uids = UidsOf(await File.ReadAllTextAsync($"/proc/{server.Id}/status"));
            var expectedUid = asRoot ? "65534" : ownUid;
            // Real, effective, saved and filesystem uid all non-root, yet the kernel gives /proc/PID to root.
            await Assert.That(uids).IsEquivalentTo(new[] { expectedUid, expectedUid, expectedUid, expectedUid });
            await Assert.That(owner.Trim()).IsEqualTo("0");

            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
            using var response = await client.GetAsync($"https://127.0.0.1:{port}/readyz?verbose");
            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
            await Assert.That(await response.Content.ReadAsStringAsync()).Contains("[+]ping ok");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The four uids of the "Uid:" line of /proc/PID/status.
    private static string[] UidsOf(string status)
    {
        var line = status.Split('\n').Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line["Uid:".Length..].Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(cts.Token);
        return output;
    }
}
