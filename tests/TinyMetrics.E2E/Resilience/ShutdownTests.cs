using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A cluster whose tinymetrics keeps serving for 4 s after SIGTERM, all on 127.92.0.0/16.</summary>
public sealed class ShutdownCluster : LocalCluster
{
    public const string Host = "127.92.1.1";

    protected override string FirstAddress => "127.92.0.1";

    protected override IEnumerable<string> BindArgs => [$"--bind-address={Host}"];

    protected override string ServerHost => Host;

    protected override IEnumerable<string> ExtraServerArgs => ["--shutdown-delay-duration=4s"];
}

/// <summary>
/// Graceful termination of the AOT binary, as the generic apiserver does it: on SIGTERM /readyz fails at once,
/// /livez passes, new connections and metrics requests are served normally through the delay, then the process
/// drains and exits 0; with no delay it exits 0 promptly.
/// </summary>
[ClassDataSource<ShutdownCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class ShutdownTests(ShutdownCluster cluster)
{
    private const string Initiated = "[graceful-termination] shutdown event\" name=\"ShutdownInitiated\"";
    private const string DelayOver = "[graceful-termination] shutdown event\" name=\"AfterShutdownDelayDuration\"";
    private const string Exiting = "[graceful-termination] apiserver is exiting";

    [Test]
    public async Task Sigterm_WithDelay_ReadyzFailsServingGoesOnThenExitsZero()
    {
        var server = cluster.Server;
        var baseUri = $"https://{ShutdownCluster.Host}:{cluster.ServerPort}";
        await Assert.That((await GetAsync(baseUri + "/readyz")).Code).IsEqualTo(HttpStatusCode.OK);

        await server.SignalAsync("TERM");
        await server.WaitForLineAsync(line => line.Contains(Initiated, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var sinceInitiated = Stopwatch.StartNew();

        var readyz = await GetAsync(baseUri + "/readyz?verbose");
        var livez = await GetAsync(baseUri + "/livez");
        // Well inside the 4 s the server counts from the signal (before the line above): every request is a new
        // connection, so each one shows the listener still open.
        var answers = new List<(HttpStatusCode Code, string Body)>();
        while (sinceInitiated.Elapsed < TimeSpan.FromSeconds(2.5) || answers.Count < 3)
        {
            if (sinceInitiated.Elapsed > TimeSpan.FromSeconds(3.5))
                break;
            answers.Add(await GetAsync(baseUri + "/apis/metrics.k8s.io/v1beta1/nodes", "admin-token"));
        }
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        await Assert.That(readyz.Code).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(readyz.Body).Contains("[-]shutdown failed: reason withheld\n");
        await Assert.That(readyz.Body).Contains("[+]ping ok\n");
        await Assert.That(livez.Code).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(answers.Count).IsGreaterThanOrEqualTo(3);
        foreach (var (status, body) in answers)
        {
            await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(Occurrences(body, "\"usage\"")).IsEqualTo(LocalCluster.NodeCount);
        }
        await Assert.That(code).IsEqualTo(0);
        var output = server.Output;
        await Assert.That(output.IndexOf(DelayOver, StringComparison.Ordinal)).IsGreaterThan(output.IndexOf(Initiated, StringComparison.Ordinal));
        await Assert.That(output.IndexOf(Exiting, StringComparison.Ordinal)).IsGreaterThan(output.IndexOf(DelayOver, StringComparison.Ordinal));
    }

    [Test]
    public async Task Sigterm_NoDelay_ExitsZeroPromptly_SecondSigtermHarmless()
    {
        const string host = "127.92.1.2";
        var port = FreePort.Next();
        await using var server = BoundedProcess.Start(Artifacts.ServerBinary, [
            $"--kubeconfig={Path.Combine(cluster.Directory, "tinymetrics.kubeconfig")}", $"--bind-address={host}", $"--secure-port={port}",
            $"--cert-dir={Path.Combine(cluster.Directory, "certs-no-delay")}", "--metric-resolution=10s", "--kubelet-request-timeout=5s",
            "--kubelet-preferred-address-types=InternalIP", "--v=2"]);
        await server.WaitForLineAsync(line => line.Contains("Serving securely", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        // /livez passes once the pod metadata list is read, shortly after the listener opens.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await GetAsync($"https://{host}:{port}/livez")).Code != HttpStatusCode.OK && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        await Assert.That((await GetAsync($"https://{host}:{port}/livez")).Code).IsEqualTo(HttpStatusCode.OK);

        await server.SignalAsync("TERM");
        await server.WaitForLineAsync(line => line.Contains(Initiated, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        if (!server.HasExited)
            await server.SignalAsync("TERM");
        var code = await server.WaitForExitAsync(TimeSpan.FromSeconds(20));

        await Assert.That(code).IsEqualTo(0);
        await Assert.That(server.Output).Contains(Exiting);
        await Assert.That(server.Output).DoesNotContain(DelayOver);
    }

    private static async Task<(HttpStatusCode Code, string Body)> GetAsync(string uri, string? token = null)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri(uri));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
