using System.Net;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>The default bind address serves both families: the aggregation proxy over ::1, clients over 127.86.0.1.</summary>
[ClassDataSource<DualStackCluster>(Shared = SharedType.PerClass)]
[NotInParallel(ClusterLanes.Platform)]
public sealed class DualStackTests(DualStackCluster cluster)
{
    [Test]
    public async Task TopNodes_ProxiedOverIpv6_MatchesSimulatorExactly()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);
        await TopExpectations.NodesMatchAsync(cluster);
    }

    [Test]
    [Arguments("127.86.0.1")]
    [Arguments("[::1]")]
    public async Task Readyz_DefaultBind_AnswersOnBothFamilies(string host)
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);
        var (status, body) = await Ipv6Loopback.ReadyzAsync(host, cluster.ServerPort);

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).IsEqualTo("ok");
    }

    [Test]
    public async Task ServingLog_DefaultBind_ShowsDualStackAddress()
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), Ipv6Loopback.SkipReason);

        await Assert.That(cluster.Server.Output).Contains($"Serving securely on [::]:{cluster.ServerPort}");
    }
}
