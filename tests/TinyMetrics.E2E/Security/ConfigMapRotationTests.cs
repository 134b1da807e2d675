using TinyMetrics.E2E.Infrastructure;
using System.Net;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// kube-apiserver rotating its front-proxy CA shows up only in the authentication ConfigMap: tinymetrics,
/// reading the request-header trust from it, follows every step without one failed request.
/// </summary>
[ClassDataSource<ConfigMapRotationCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class ConfigMapRotationTests(ConfigMapRotationCluster cluster)
{
    [Test]
    public async Task FrontProxyCa_RotatedInTheConfigMap_NoRequestFailsAndOnlyTheNewClientCertificateIsAccepted()
    {
        var rotation = new FrontProxyRotation(cluster, "from kube-system/extension-apiserver-authentication", ConfigMapRotationCluster.Nodes);

        await rotation.RunAsync();

        await Assert.That(rotation.SuccessesPerPhase.Count).IsEqualTo(4);
        await Assert.That(rotation.SuccessesPerPhase.All(n => n >= FrontProxyRotation.MinimumPerPhase)).IsTrue()
            .Because(string.Join(", ", rotation.SuccessesPerPhase));
        await Assert.That(rotation.Failures).IsEmpty().Because(string.Join("\n", rotation.Failures));
        await Assert.That(rotation.Successes).IsEqualTo(rotation.Requests);
        await Assert.That(rotation.OldCertificateStatus).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(rotation.NewCertificateStatus).IsEqualTo(HttpStatusCode.OK);
    }
}
