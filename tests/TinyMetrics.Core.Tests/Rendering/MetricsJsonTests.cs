using TinyMetrics.Discovery;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

public class MetricsJsonTests
{
    [Test]
    public async Task WriteNode_ControlPlaneSample_EqualsCompactReferenceSample()
    {
        var json = Samples.Json(w => MetricsJson.WriteNode(w, Samples.ControlPlane, ApiVersion.V1Beta1, Samples.Now));

        await Assert.That(json).IsEqualTo("""{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1",""" + Samples.ControlPlaneItem[1..]);
    }

    [Test]
    public async Task WritePod_CorednsSample_EqualsCompactReferenceSample()
    {
        var json = Samples.Json(w => MetricsJson.WritePod(w, Samples.Coredns1, ApiVersion.V1, Samples.Now));

        await Assert.That(json).IsEqualTo("""{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1",""" + Samples.Coredns1Item[1..]);
    }

    [Test]
    public async Task WritePodList_LabelSelectorSample_ItemsHaveNoKind()
    {
        LabelSelector.TryParse("k8s-app=kube-dns", out var selector, out _);
        PodMetricsValue other = new("default", "web", LabelSet.Empty, Samples.Now, 1, []);
        PodMetricsValue[] pods = [other, Samples.Coredns1, Samples.Coredns2];

        var json = Samples.Json(w => MetricsJson.WritePodList(w, pods, ApiVersion.V1Beta1, Samples.Now, selector));

        await Assert.That(json).IsEqualTo(
            """{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[""" +
            Samples.Coredns1Item + "," + Samples.Coredns2Item + "]}");
    }

    [Test]
    public async Task WritePod_DegeneratePod_NullTimestampZeroWindowEmptyContainers()
    {
        PodMetricsValue pod = new("ns", "p", LabelSet.Empty, 0, 0, []);

        var json = Samples.Json(w => MetricsJson.WritePod(w, pod, ApiVersion.V1Beta1, Samples.Now));

        await Assert.That(json).IsEqualTo(
            """{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","metadata":{"name":"p","namespace":"ns","creationTimestamp":"2021-10-03T09:37:01Z"},"timestamp":null,"window":"0s","containers":[]}""");
    }

    [Test]
    public async Task WriteNodeList_Empty_ItemsIsEmptyArray()
    {
        var json = Samples.Json(w => MetricsJson.WriteNodeList(w, [], ApiVersion.V1, Samples.Now));

        await Assert.That(json).IsEqualTo("""{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1","metadata":{},"items":[]}""");
    }

    [Test]
    public async Task WriteNode_MicrosecondWindow_WritesRawMicroSign()
    {
        var node = Samples.ControlPlane with { Labels = LabelSet.Empty, WindowNs = 1_000 };

        var json = Samples.Json(w => MetricsJson.WriteNode(w, node, ApiVersion.V1, Samples.Now));

        await Assert.That(json).Contains("\"window\":\"1µs\"");
    }

    [Test]
    public async Task WritePod_IndentedOptions_MatchesGoIndent()
    {
        PodMetricsValue pod = new("ns", "p", LabelSet.Empty, 0, 0, []);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, MetricsJson.IndentedOptions))
            MetricsJson.WritePodList(writer, [pod], ApiVersion.V1, Samples.Now);

        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        await Assert.That(json).IsEqualTo(
            "{\n  \"kind\": \"PodMetricsList\",\n  \"apiVersion\": \"metrics.k8s.io/v1\",\n  \"metadata\": {},\n  \"items\": [\n    {\n" +
            "      \"metadata\": {\n        \"name\": \"p\",\n        \"namespace\": \"ns\",\n        \"creationTimestamp\": \"2021-10-03T09:37:01Z\"\n      },\n" +
            "      \"timestamp\": null,\n      \"window\": \"0s\",\n      \"containers\": []\n    }\n  ]\n}");
    }
}
