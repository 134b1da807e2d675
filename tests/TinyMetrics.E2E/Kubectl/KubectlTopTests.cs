using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The real kubectl, through the simulator's aggregation proxy, against the published AOT binary: the one on PATH and
/// versioned ones (skipped, and counted as skipped, where that version is not installed: see <see cref="Infrastructure.Kubectl.Locate"/>).
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlTopTests(LocalCluster cluster)
{
    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.35")]
    public Task TopNodes_EveryNode_MatchesSimulatorExactly(string? version) => TopExpectations.NodesMatchAsync(cluster, version);

    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.35")]
    public Task TopPodsAllNamespaces_EveryPod_MatchesSimulatorExactly(string? version) => TopExpectations.PodsMatchAsync(cluster, version);

    [Test]
    public async Task TopPodWithLabelSelector_OneNamespace_ShowsOnlyMatchingPods()
    {
        var target = cluster.Expected.Pods.First(p => p.Labels.ContainsKey("app"));
        var app = target.Labels["app"];
        var expected = cluster.Expected.Pods.Where(p => p.Namespace == target.Namespace && p.Labels.GetValueOrDefault("app") == app).ToList();

        var result = await cluster.Kubectl().RunAsync("top", "pod", "-n", target.Namespace, "-l", $"app={app}");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        await Assert.That(table.Rows.Select(r => r[0]).Order().ToArray()).IsEquivalentTo(expected.Select(p => p.Name).Order().ToArray());
    }

    [Test]
    public async Task TopPodContainers_EveryContainer_MatchesSimulator()
    {
        var pod = cluster.Expected.Pods.MaxBy(p => p.Containers.Count)!;

        var result = await cluster.Kubectl().RunAsync("top", "pod", pod.Name, "-n", pod.Namespace, "--containers");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var table = TopTable.Parse(result.Output);
        foreach (var container in pod.Containers)
        {
            var row = table.Rows.Single(r => r[1] == container.Name);
            await Assert.That(TopTable.Millicores(table.Cell(row, "CPU(cores)"))).IsBetween(container.CpuMillis - 1, container.CpuMillis + 1);
            await Assert.That(TopTable.Mebibytes(table.Cell(row, "MEMORY(bytes)"))).IsEqualTo(container.MemoryMi);
        }
    }
}
