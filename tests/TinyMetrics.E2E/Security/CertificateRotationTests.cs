using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The front-proxy CA and the kubelet CA are rotated in the simulator (add, switch, drop) while kubectl keeps
/// asking for node metrics: tinymetrics re-reads the CA files and not one request fails. Afterwards only the new
/// front-proxy client certificate is accepted, and every kubelet keeps being scraped over its new certificate.
/// </summary>
[ClassDataSource<RotationCluster>(Shared = SharedType.PerClass)]
[NotInParallel("kubectl")]
public sealed class CertificateRotationTests(RotationCluster cluster)
{
    private const string RequestHeaderReloaded = "Reloaded request-header client CA";
    private const string KubeletCaReloaded = "Reloaded kubelet CA";
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    // Two scrapes at --metric-resolution=10s, whatever phase the loop is in, plus the request timeout.
    private static readonly TimeSpan TwoCycles = TimeSpan.FromSeconds(40);

    [Test]
    public async Task FrontProxyCa_RotatedUnderLoad_NoRequestFailsAndOnlyTheNewClientCertificateIsAccepted()
    {
        var oldClient = await ReadClientPairAsync();
        var reloads = Count(RequestHeaderReloaded);
        List<string> failures;
        int requests;
        await using (var loop = new KubectlLoop(cluster.Kubectl(), RotationCluster.Nodes))
        {
            await cluster.RotateAsync("front-proxy", "add");
            await WaitForLogAsync(RequestHeaderReloaded, reloads + 1);
            await cluster.RotateAsync("front-proxy", "switch");
            await loop.WaitForRequestsAsync(2, TimeSpan.FromSeconds(30));
            await cluster.RotateAsync("front-proxy", "drop");
            await WaitForLogAsync(RequestHeaderReloaded, reloads + 2);
            await loop.WaitForRequestsAsync(2, TimeSpan.FromSeconds(30));
            failures = [.. loop.Failures];
            requests = loop.Requests;
        }
        var newClient = await ReadClientPairAsync();

        await Assert.That(requests).IsGreaterThan(0);
        await Assert.That(failures).IsEmpty().Because(string.Join("\n", failures));
        await Assert.That(await DirectStatusAsync(oldClient)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await DirectStatusAsync(newClient)).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task KubeletCa_RotatedUnderLoad_EveryNodeKeepsBeingScrapedAndNoRequestFails()
    {
        var reloads = Count(KubeletCaReloaded);
        await using var loop = new KubectlLoop(cluster.Kubectl(), RotationCluster.Nodes);
        await cluster.RotateAsync("kubelets", "add");
        await WaitForLogAsync(KubeletCaReloaded, reloads + 1);
        await loop.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30));

        var served = loop.Latest().Count;
        var atSwitch = NextWholeSecond();
        await cluster.RotateAsync("kubelets", "switch");
        // The first scrape after the switch may still ride a connection opened before it; the second cannot.
        var afterSwitch = await loop.WaitForScrapesAfterAsync(NodeNames, atSwitch, 2, TwoCycles);
        var failuresAfterSwitch = loop.Failures;

        await cluster.RotateAsync("kubelets", "drop");
        await WaitForLogAsync(KubeletCaReloaded, reloads + 2);
        var atDrop = NextWholeSecond();
        var afterDrop = await loop.WaitForScrapesAfterAsync(NodeNames, atDrop, 2, TwoCycles);

        await Assert.That(served).IsEqualTo(RotationCluster.Nodes);
        await Assert.That(afterSwitch).IsTrue().Because(Describe(loop, atSwitch));
        await Assert.That(failuresAfterSwitch).IsEmpty().Because(string.Join("\n", failuresAfterSwitch));
        await Assert.That(afterDrop).IsTrue().Because(Describe(loop, atDrop));
        await Assert.That(loop.Requests).IsGreaterThan(0);
        await Assert.That(loop.Failures).IsEmpty().Because(string.Join("\n", loop.Failures));
    }

    private IEnumerable<string> NodeNames => cluster.Expected.Nodes.Select(n => n.Name);

    // A served timestamp is never later than its scrape (whole seconds, rounded down), so one later than this
    // bound is a scrape that happened after now.
    private static DateTimeOffset NextWholeSecond()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(TimeSpan.TicksPerSecond - (now.Ticks % TimeSpan.TicksPerSecond));
    }

    private int Count(string text) => cluster.Server.CountLines(line => line.Contains(text, StringComparison.Ordinal));

    private Task WaitForLogAsync(string text, int count) =>
        cluster.Server.WaitForLineCountAsync(line => line.Contains(text, StringComparison.Ordinal), count, ReloadTimeout);

    private async Task<(string Certificate, string Key)> ReadClientPairAsync() =>
        (await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.crt")),
         await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.key")));

    // Straight to tinymetrics as the aggregation proxy would call it: the client certificate vouches for X-Remote-User.
    private async Task<HttpStatusCode> DirectStatusAsync((string Certificate, string Key) pair)
    {
        using var certificate = X509Certificate2.CreateFromPem(pair.Certificate, pair.Key);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{cluster.ServerPort}/apis/metrics.k8s.io/v1beta1/nodes");
        request.Headers.Add("X-Remote-User", "admin");
        request.Headers.Add("X-Remote-Group", "system:masters");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private string Describe(KubectlLoop loop, DateTimeOffset since) =>
        $"since {since:HH:mm:ss}; latest {string.Join(", ", loop.Latest().Select(p => $"{p.Key}={p.Value:HH:mm:ss}"))}\n"
        + cluster.Server.Tail(30);
}
