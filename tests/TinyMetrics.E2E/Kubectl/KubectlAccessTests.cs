using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The real kubectl through the simulator's aggregation proxy: an admin is served, a user without
/// rights is refused by TinyMetrics' SubjectAccessReview with upstream's Forbidden message.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel("kubectl")]
public sealed class KubectlAccessTests(LocalCluster cluster)
{
    [Test]
    public async Task TopPods_Admin_IsServed()
    {
        var result = await cluster.Kubectl().RunAsync("top", "pods", "-A");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
    }

    [Test]
    public async Task GetRawPods_UserWithoutRights_IsForbiddenByTinyMetrics()
    {
        var result = await cluster.Kubectl().RunAsync("--token=unprivileged-token", "get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods");

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Output).Contains("forbidden");
        await Assert.That(result.Output).Contains("unprivileged");
    }

    [Test]
    public async Task GetRawNodes_UnknownToken_IsUnauthorizedAtTheProxy()
    {
        var result = await cluster.Kubectl().RunAsync("--token=not-a-token", "get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");

        await Assert.That(result.ExitCode).IsNotEqualTo(0);
        await Assert.That(result.Output).Contains("Unauthorized");
    }
}
