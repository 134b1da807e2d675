using TinyMetrics.Discovery;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

public class MetricsTableTests
{
    private const string Columns =
        "'columnDefinitions':[{'name':'Name','type':'string','format':'name','description':'Name of the resource','priority':0}," +
        "{'name':'cpu','type':'string','format':'quantity','description':'','priority':0}," +
        "{'name':'memory','type':'string','format':'quantity','description':'','priority':0}," +
        "{'name':'Window','type':'string','format':'duration','description':'','priority':0}]";

    [Test]
    public async Task WriteNodes_ControlPlaneSample_MatchesReferenceExample()
    {
        var json = Samples.Json(w => MetricsTable.WriteNodes(w, [Samples.ControlPlane], ApiVersion.V1Beta1, Samples.Now));

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'Table','apiVersion':'meta.k8s.io/v1','metadata':{}," + Columns +
            ",'rows':[{'cells':['e2e-control-plane','1016171u','1578392Ki','15s'],'object':{'kind':'PartialObjectMetadata','apiVersion':'meta.k8s.io/v1',") +
            Samples.ControlPlaneItem[1..Samples.ControlPlaneItem.IndexOf(",\"timestamp\"", StringComparison.Ordinal)] + "}}]}");
    }

    [Test]
    public async Task WritePods_TwoContainers_SumsUsage()
    {
        PodMetricsValue pod = new("default", "pod1", LabelSet.Empty, Samples.Now, 1_000,
            [new ContainerMetricsValue("a", 10_000_000, 0), new ContainerMetricsValue("b", 0, 5 * 1024 * 1024)]);

        var json = Samples.Json(w => MetricsTable.WritePods(w, [pod], ApiVersion.V1, Samples.Now, TableIncludeObject.None));

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'Table','apiVersion':'meta.k8s.io/v1','metadata':{}," + Columns + ",'rows':[{'cells':['pod1','10m','5Mi','1µs'],'object':null}]}"));
    }

    [Test]
    public async Task WritePods_DegenerateFirst_RowsBeforeColumnsHoldNameAndWindow()
    {
        PodMetricsValue empty = new("default", "a", LabelSet.Empty, 0, 0, []);
        PodMetricsValue full = new("default", "b", LabelSet.Empty, Samples.Now, 2_000, [new ContainerMetricsValue("c", 3_000, 1024)]);
        PodMetricsValue emptyAgain = empty with { Name = "c" };

        var json = Samples.Json(w => MetricsTable.WritePods(w, [empty, full, emptyAgain], ApiVersion.V1, Samples.Now, TableIncludeObject.None));

        await Assert.That(json).IsEqualTo(Q(
            "{'kind':'Table','apiVersion':'meta.k8s.io/v1','metadata':{}," + Columns + ",'rows':[" +
            "{'cells':['a','0s'],'object':null},{'cells':['b','3u','1Ki','2µs'],'object':null},{'cells':['c','0','0','0s'],'object':null}]}"));
    }

    [Test]
    public async Task WritePods_Empty_NullColumnsAndRows()
    {
        var json = Samples.Json(w => MetricsTable.WritePods(w, [], ApiVersion.V1, Samples.Now, metaV1Beta1: true));

        await Assert.That(json).IsEqualTo(Q("{'kind':'Table','apiVersion':'meta.k8s.io/v1beta1','metadata':{},'columnDefinitions':null,'rows':null}"));
    }

    [Test]
    public async Task WritePods_IncludeObject_EmbedsFullObject()
    {
        LabelSelector.TryParse("k8s-app=kube-dns", out var selector, out _);

        var json = Samples.Json(w => MetricsTable.WritePods(
            w, [Samples.Coredns1], ApiVersion.V1Beta1, Samples.Now, TableIncludeObject.Object, labels: selector));

        await Assert.That(json).EndsWith(
            "\"object\":{\"kind\":\"PodMetrics\",\"apiVersion\":\"metrics.k8s.io/v1beta1\"," + Samples.Coredns1Item[1..] + "}]}");
    }

    [Test]
    [Arguments(null, TableIncludeObject.Metadata, true)]
    [Arguments("Object", TableIncludeObject.Object, true)]
    [Arguments("None", TableIncludeObject.None, true)]
    [Arguments("none", TableIncludeObject.Metadata, false)]
    public async Task TryParseIncludeObject_Value_ParsesExactNames(string? text, TableIncludeObject expected, bool ok)
    {
        var parsed = MetricsTable.TryParseIncludeObject(text, out var include, out var error);

        await Assert.That(parsed).IsEqualTo(ok);
        if (ok)
            await Assert.That(include).IsEqualTo(expected);
        else
            await Assert.That(error).IsEqualTo("unrecognized includeObject value: \"none\"");
    }

    private static string Q(string json) => json.Replace('\'', '"');
}
