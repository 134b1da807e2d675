using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The real kubectl asks metrics.k8s.io for protobuf first (<c>Accept: application/vnd.kubernetes.protobuf,application/json</c>);
/// through the simulator's aggregation proxy it must get protobuf, as its -v=8 log of the response headers shows,
/// and print the simulator's exact numbers from it.
/// </summary>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlProtobufTests(LocalCluster cluster)
{
    [Test]
    [Arguments(null, "nodes")]
    [Arguments("1.27", "nodes")]
    [Arguments("1.35", "nodes")]
    [Arguments(null, "pods")]
    [Arguments("1.27", "pods")]
    [Arguments("1.35", "pods")]
    public async Task Top_Verbose_MetricsResponseIsProtobuf(string? version, string resource)
    {
        var result = await cluster.Kubectl(version).RunAsync(resource == "pods" ? ["top", "pods", "-A", "-v=8"] : ["top", "nodes", "-v=8"]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var output = result.Output;
        var request = output.IndexOf($"/apis/metrics.k8s.io/v1beta1/{resource}", StringComparison.Ordinal) is var beta and >= 0
            ? beta
            : output.IndexOf($"/apis/metrics.k8s.io/v1/{resource}", StringComparison.Ordinal);
        await Assert.That(request).IsGreaterThanOrEqualTo(0).Because(output);
        var response = output[request..Math.Min(output.Length, request + 4000)];
        await Assert.That(response).Contains("Accept: application/vnd.kubernetes.protobuf").Because(response);
        await Assert.That(response).Contains("Content-Type: application/vnd.kubernetes.protobuf").Because(response);
    }

    // The numbers kubectl prints come from those protobuf bodies: every row exact against expected.json.
    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.35")]
    public async Task Top_FromProtobuf_MatchesSimulatorExactly(string? version)
    {
        await TopExpectations.NodesMatchAsync(cluster, version);
        await TopExpectations.PodsMatchAsync(cluster, version);
    }
}
