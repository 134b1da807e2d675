using System.Net;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>The AOT binary in an IPv6-only cluster on ::1: the real kubectl shows the simulator's exact values.</summary>
[ClassDataSource<Ipv6Cluster>(Shared = SharedType.PerClass)]
[NotInParallel(ClusterLanes.Platform)]
public sealed class Ipv6Tests(Ipv6Cluster cluster)
{
    [Test]
    public async Task TopNodes_Ipv6Cluster_MatchesSimulatorExactly()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);
        await TopExpectations.NodesMatchAsync(cluster);
    }

    [Test]
    public async Task TopPodsAllNamespaces_Ipv6Cluster_MatchesSimulatorExactly()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);
        await TopExpectations.PodsMatchAsync(cluster);
    }

    [Test]
    public async Task Readyz_OnIpv6Loopback_IsOk()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);
        var (status, body) = await Ipv6Loopback.ReadyzAsync("[::1]", cluster.ServerPort);

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).IsEqualTo("ok");
    }

    [Test]
    public async Task ServingLog_BindAllIpv6_ShowsGoStyleAddress()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);

        await Assert.That(cluster.Server.Output).Contains($"Serving securely on [::]:{cluster.ServerPort}");
    }
}
