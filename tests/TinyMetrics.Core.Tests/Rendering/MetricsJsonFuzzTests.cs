using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using TinyMetrics.Storage;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// Property tests of the JSON writers: for random snapshots (names and labels that need escaping, extreme times and
/// quantities) every document, from scratch or pre-rendered, compact or indented, is valid UTF-8 JSON that
/// System.Text.Json reads back to exactly the model, as <see cref="ReferenceMetricsJson"/> writes it.
/// </summary>
public class MetricsJsonFuzzTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Gen<(MetricsSnapshot Snapshot, long Now, bool V1)> Case = Gen.Select(SnapshotGen.Snapshot, SnapshotGen.Now, Gen.Bool);

    [Test]
    public void WriteLists_FromScratch_ReadBackToTheModel()
    {
        Case.Sample((snapshot, now, v1) =>
        {
            var (version, name) = Version(v1);
            foreach (var options in new[] { MetricsJson.CompactOptions, MetricsJson.IndentedOptions })
            {
                var nodes = Write(w => MetricsJson.WriteNodeList(w, snapshot.Nodes, version, now), options);
                var pods = Write(w => MetricsJson.WritePodList(w, snapshot.Pods, version, now), options);
                if (Canonical(nodes) != ReferenceMetricsJson.NodeList(snapshot.Nodes.ToArray(), name, now)
                    || Canonical(pods) != ReferenceMetricsJson.PodList(snapshot.Pods.ToArray(), name, now))
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter / 3, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: Print);
    }

    [Test]
    public void WriteObjects_FromScratch_ReadBackToTheModel()
    {
        Case.Sample((snapshot, now, v1) =>
        {
            var (version, name) = Version(v1);
            foreach (var node in snapshot.Nodes)
            {
                if (Canonical(Write(w => MetricsJson.WriteNode(w, node, version, now), MetricsJson.CompactOptions)) != ReferenceMetricsJson.NodeObject(node, name, now))
                    return false;
            }
            foreach (var pod in snapshot.Pods)
            {
                if (Canonical(Write(w => MetricsJson.WritePod(w, pod, version, now), MetricsJson.CompactOptions)) != ReferenceMetricsJson.PodObject(pod, name, now))
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter / 3, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: Print);
    }

    [Test]
    public void PreRendered_ListsAndObjects_ReadBackToTheModel()
    {
        Case.Sample((snapshot, now, v1) =>
        {
            var (version, name) = Version(v1);
            var rendered = RenderedSnapshot.Render(snapshot);
            if (Canonical(List(w => rendered.WriteNodeListAsync(w, version, now))) != ReferenceMetricsJson.NodeList(snapshot.Nodes.ToArray(), name, now)
                || Canonical(List(w => rendered.WritePodListAsync(w, version, now))) != ReferenceMetricsJson.PodList(snapshot.Pods.ToArray(), name, now))
                return false;
            foreach (var node in snapshot.Nodes)
            {
                var buffer = new ArrayBufferWriter<byte>();
                if (!rendered.WriteNode(buffer, version, now, node.Name) || Canonical(buffer.WrittenSpan) != ReferenceMetricsJson.NodeObject(node, name, now))
                    return false;
            }
            foreach (var pod in snapshot.Pods)
            {
                var buffer = new ArrayBufferWriter<byte>();
                if (!rendered.WritePod(buffer, version, now, pod.Namespace, pod.Name) || Canonical(buffer.WrittenSpan) != ReferenceMetricsJson.PodObject(pod, name, now))
                    return false;
                var ns = List(w => rendered.WritePodListAsync(w, version, now, pod.Namespace));
                if (Canonical(ns) != ReferenceMetricsJson.PodList(Where(snapshot.Pods, pod.Namespace), name, now))
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter / 3, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: Print);
    }

    internal static (ApiVersion Version, string Name) Version(bool v1) => v1 ? (ApiVersion.V1, "v1") : (ApiVersion.V1Beta1, "v1beta1");

    internal static string Print((MetricsSnapshot Snapshot, long Now, bool V1) c) => $"now={c.Now} v1={c.V1}\n" + SnapshotGen.Describe(c.Snapshot);

    // Straight from the bytes: JsonNode.Parse rejects invalid UTF-8 and any syntax error, then re-serializes with the
    // reference's escaping, so only a difference in content or order remains.
    private static string Canonical(ReadOnlySpan<byte> json) => JsonNode.Parse(json)!.ToJsonString(Relaxed);

    private static byte[] Write(Action<Utf8JsonWriter> write, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
            write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] List(Func<PipeWriter, ValueTask<int>> write)
    {
        using var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 256, leaveOpen: true));
        write(pipe).AsTask().GetAwaiter().GetResult();
        pipe.CompleteAsync().AsTask().GetAwaiter().GetResult();
        return stream.ToArray();
    }

    private static List<PodMetricsValue> Where(ReadOnlySpan<PodMetricsValue> pods, string ns)
    {
        var list = new List<PodMetricsValue>();
        foreach (var pod in pods)
        {
            if (pod.Namespace == ns)
                list.Add(pod);
        }
        return list;
    }
}
