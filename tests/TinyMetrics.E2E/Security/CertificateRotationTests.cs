using System.Net;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The front-proxy CA and the kubelet CA are rotated in the simulator (add, switch, drop) while kubectl keeps
/// asking for node metrics: tinymetrics re-reads the CA files and not one request fails. Afterwards only the new
/// front-proxy client certificate is accepted, and every kubelet keeps being scraped over its new certificate.
/// </summary>
[ClassDataSource<RotationCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class CertificateRotationTests(RotationCluster cluster)
{
    private const string RequestHeaderReloaded = "\"Loaded a new CA Bundle and Verifier\" name=\"request-header::";
    private const string KubeletCaReloaded = "Reloaded kubelet CA";
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    // Two scrapes at --metric-resolution=10s, whatever phase the loop is in, plus the request timeout.
    private static readonly TimeSpan TwoCycles = TimeSpan.FromSeconds(40);

    // Requests that must serve every node before the first step and after each one.
    private const int MinimumPerPhase = FrontProxyRotation.MinimumPerPhase;

    // Three kubectl runs take a second or two; a slow machine gets a minute.
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task FrontProxyCa_RotatedUnderLoad_NoRequestFailsAndOnlyTheNewClientCertificateIsAccepted()
    {
        var rotation = new FrontProxyRotation(cluster, RequestHeaderReloaded, RotationCluster.Nodes);

        await rotation.RunAsync();

        await Assert.That(rotation.SuccessesPerPhase.Count).IsEqualTo(4);
        await Assert.That(rotation.SuccessesPerPhase.All(n => n >= FrontProxyRotation.MinimumPerPhase)).IsTrue()
            .Because(string.Join(", ", rotation.SuccessesPerPhase));
        await Assert.That(rotation.Failures).IsEmpty().Because(string.Join("\n", rotation.Failures));
        await Assert.That(rotation.Successes).IsEqualTo(rotation.Requests);
        await Assert.That(rotation.OldCertificateStatus).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(rotation.NewCertificateStatus).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task KubeletCa_RotatedUnderLoad_EveryNodeKeepsBeingScrapedAndNoRequestFails()
    {
        var reloads = Count(KubeletCaReloaded);
        await using var loop = new KubectlLoop(cluster.Kubectl(), RotationCluster.Nodes);
        var beforeAdd = await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout);
        await cluster.RotateAsync("kubelets", "add");
        await WaitForLogAsync(KubeletCaReloaded, reloads + 1);
        var afterAdd = await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout);

        var served = loop.Latest().Count;
        var atSwitch = NextWholeSecond();
        await cluster.RotateAsync("kubelets", "switch");
        // The first scrape after the switch may still ride a connection opened before it; the second cannot.
        var afterSwitch = await loop.WaitForScrapesAfterAsync(NodeNames, atSwitch, 2, TwoCycles);
        var requestsAfterSwitch = await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout);
        var failuresAfterSwitch = loop.Failures;

        await cluster.RotateAsync("kubelets", "drop");
        await WaitForLogAsync(KubeletCaReloaded, reloads + 2);
        var atDrop = NextWholeSecond();
        var afterDrop = await loop.WaitForScrapesAfterAsync(NodeNames, atDrop, 2, TwoCycles);
        var requestsAfterDrop = await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout);

        await Assert.That(served).IsEqualTo(RotationCluster.Nodes);
        await Assert.That(afterSwitch).IsTrue().Because(Describe(loop, atSwitch));
        await Assert.That(failuresAfterSwitch).IsEmpty().Because(string.Join("\n", failuresAfterSwitch));
        await Assert.That(afterDrop).IsTrue().Because(Describe(loop, atDrop));
        await Assert.That(new[] { beforeAdd, afterAdd, requestsAfterSwitch, requestsAfterDrop }.All(n => n >= MinimumPerPhase)).IsTrue();
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

    private string Describe(KubectlLoop loop, DateTimeOffset since) =>
        $"since {since:HH:mm:ss}; latest {string.Join(", ", loop.Latest().Select(p => $"{p.Key}={p.Value:HH:mm:ss}"))}\n"
        + cluster.Server.Tail(30);
}
