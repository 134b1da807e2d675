using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The real kubectl through the simulator's aggregation proxy: an admin is served, a user without
/// rights is refused by TinyMetrics' SubjectAccessReview with upstream's Forbidden message.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlAccessTests(LocalCluster cluster)
{
    [Test]
    public async Task TopPods_Admin_IsServed()
    {
        var result = await cluster.Kubectl().RunAsync("top", "pods", "-A");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Select(r => r[0] + "/" + r[1]).Order(StringComparer.Ordinal).ToArray())
            .IsEquivalentTo(cluster.Expected.Pods.Select(p => p.Namespace + "/" + p.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (var pod in cluster.Expected.Pods)
        {
            var row = table.Rows.Single(r => r[0] == pod.Namespace && r[1] == pod.Name);
            var expected = new ExpectedNode(pod.Name, pod.CpuNanoCores, pod.MemoryBytes);
            await Assert.That(TopTable.Mebibytes(table.Cell(row, "MEMORY(bytes)"))).IsEqualTo(expected.MemoryMi).Because(pod.Name);
        }
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
