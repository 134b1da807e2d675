using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Kubectl;

/// <summary>
/// The real `kubectl explain` (the machine's, 1.27 and 1.35) through the simulator's API server, which downloads and
/// merges tinymetrics' OpenAPI as kube-apiserver does: kubectl 1.27 first reads /openapi/v2 as protobuf, then every
/// version reads the v3 index and the metrics.k8s.io document. The printed fields and descriptions are upstream's.
/// </summary>
/// <remarks>
/// The resources are nodes and pods (kinds NodeMetrics, PodMetrics), so kubectl takes `nodemetrics` by kind and reads
/// `nodemetrics.metrics.k8s.io` as the fields "metrics.k8s.io" of it, against metrics-server too.
/// </remarks>
[ClassDataSource<LocalCluster>(Shared = SharedType.PerTestSession)]
[NotInParallel(ClusterLanes.Session)]
public sealed class KubectlExplainTests(LocalCluster cluster)
{
    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.35")]
    public async Task Explain_NodeMetrics_PrintsTheKindsFieldsAndDescriptions(string? version)
    {
        var result = await cluster.Kubectl(version).RunAsync("explain", "nodemetrics");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(result.Output).Contains("KIND:       NodeMetrics");
        await Assert.That(result.Output).Contains("VERSION:    v1beta1");
        await Assert.That(result.Output).Contains("NodeMetrics sets resource usage metrics of a node.");
        await Assert.That(result.Output).Contains("metadata\t<ObjectMeta>");
        await Assert.That(result.Output).Contains("timestamp\t<string> -required-");
        await Assert.That(result.Output).Contains("usage\t<map[string]Quantity> -required-\n    The memory usage is the memory working set.");
        await Assert.That(result.Output).Contains("window\t<string> -required-");
    }

    [Test]
    [Arguments(null)]
    [Arguments("1.27")]
    [Arguments("1.35")]
    public async Task Explain_PodMetricsContainersUsage_PrintsTheFieldAndQuantity(string? version)
    {
        var result = await cluster.Kubectl(version).RunAsync("explain", "podmetrics.containers.usage");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(result.Output).Contains("KIND:       PodMetrics");
        await Assert.That(result.Output).Contains("FIELD: usage <map[string]Quantity>");
        await Assert.That(result.Output).Contains("The memory usage is the memory working set.");
        await Assert.That(result.Output).Contains("Quantity is a fixed-point representation of a number.");
    }

    [Test]
    public async Task Explain_V1AndContainers_ReadTheV1DocumentAndNestedSchemas()
    {
        var v1 = await cluster.Kubectl().RunAsync("explain", "podmetrics", "--api-version=metrics.k8s.io/v1");
        var containers = await cluster.Kubectl().RunAsync("explain", "podmetrics.containers");

        await Assert.That(v1.Output).Contains("VERSION:    v1\n");
        await Assert.That(v1.Output).Contains("containers\t<[]ContainerMetrics> -required-");
        await Assert.That(containers.Output).Contains("FIELD: containers <[]ContainerMetrics>");
        await Assert.That(containers.Output).Contains("Metrics for all containers are collected within the same time window.");
        await Assert.That(containers.Output).Contains("name\t<string> -required-\n    Container name corresponding to the one from pod.spec.containers.");
    }

    [Test]
    public async Task Explain_PlaintextOpenApiV2_ReadsTheMergedProtobufSpec()
    {
        var result = await cluster.Kubectl("1.27").RunAsync("explain", "nodemetrics", "--output=plaintext-openapiv2");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(result.Output).Contains("KIND:     NodeMetrics\nVERSION:  metrics.k8s.io/v1beta1");
        await Assert.That(result.Output).Contains("NodeMetrics sets resource usage metrics of a node.");
        await Assert.That(result.Output).Contains("timestamp\t<string> -required-");
    }
}
