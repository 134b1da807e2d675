using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using TinyMetrics.Discovery;
using TinyMetrics.Storage;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// Property tests of the protobuf writers: for random snapshots every envelope, list and object, pre-rendered or from
/// scratch, decodes with Google.Protobuf (<see cref="ProtoMessage"/>) to exactly the model under gogo-protobuf's
/// rules (strings as UTF-8, empty strings still written, map entries in key order, Time as seconds, nanos 0,
/// a zero Time as an empty message, Duration in ns, Quantity as its canonical string).
/// </summary>
public class MetricsProtoFuzzTests
{
    private static readonly Gen<(MetricsSnapshot Snapshot, long Now, bool V1)> Case = Gen.Select(SnapshotGen.Snapshot, SnapshotGen.Now, Gen.Bool);

    [Test]
    public void PreRenderedLists_DecodeToTheModel()
    {
        Case.Sample((snapshot, now, v1) =>
        {
            var (version, name) = MetricsJsonFuzzTests.Version(v1);
            var rendered = RenderedSnapshot.Render(snapshot);
            var nodes = List(w => rendered.WriteNodeListProtobufAsync(w, version, now));
            var pods = List(w => rendered.WritePodListProtobufAsync(w, version, now));
            return ListMatches(nodes, "NodeMetricsList", name, snapshot.Nodes.ToArray(), (item, node) => NodeMatches(item, node, now))
                && ListMatches(pods, "PodMetricsList", name, snapshot.Pods.ToArray(), (item, pod) => PodMatches(item, pod, now));
        }, iter: FuzzBudget.Iter / 3, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: MetricsJsonFuzzTests.Print);
    }

    [Test]
    public void Objects_PreRenderedAndFromScratch_DecodeToTheModel()
    {
        Case.Sample((snapshot, now, v1) =>
        {
            var (version, name) = MetricsJsonFuzzTests.Version(v1);
            var rendered = RenderedSnapshot.Render(snapshot);
            foreach (var node in snapshot.Nodes)
            {
                var cached = new ArrayBufferWriter<byte>();
                var scratch = new ArrayBufferWriter<byte>();
                MetricsProto.WriteNode(scratch, node, version, now);
                if (!rendered.WriteNodeProtobuf(cached, version, now, node.Name)
                    || !ObjectMatches(cached.WrittenSpan.ToArray(), "NodeMetrics", name, raw => NodeMatches(raw, node, now))
                    || !ObjectMatches(scratch.WrittenSpan.ToArray(), "NodeMetrics", name, raw => NodeMatches(raw, node, now)))
                    return false;
            }
            foreach (var pod in snapshot.Pods)
            {
                var cached = new ArrayBufferWriter<byte>();
                var scratch = new ArrayBufferWriter<byte>();
                MetricsProto.WritePod(scratch, pod, version, now);
                if (!rendered.WritePodProtobuf(cached, version, now, pod.Namespace, pod.Name)
                    || !ObjectMatches(cached.WrittenSpan.ToArray(), "PodMetrics", name, raw => PodMatches(raw, pod, now))
                    || !ObjectMatches(scratch.WrittenSpan.ToArray(), "PodMetrics", name, raw => PodMatches(raw, pod, now)))
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter / 3, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: MetricsJsonFuzzTests.Print);
    }

    private static bool ObjectMatches(byte[] body, string kind, string version, Func<ProtoMessage, bool> matches)
    {
        var (apiVersion, actualKind, raw, encoding, contentType) = ProtoMessage.Envelope(body);
        return apiVersion == "metrics.k8s.io/" + version && actualKind == kind && encoding == "" && contentType == "" && matches(raw);
    }

    private static bool ListMatches<T>(byte[] body, string kind, string version, T[] expected, Func<ProtoMessage, T, bool> matches) =>
        ObjectMatches(body, kind, version, raw =>
        {
            var items = raw.Messages(2);
            if (items.Count != expected.Length)
                return false;
            for (var i = 0; i < items.Count; i++)
            {
                if (!matches(items[i], expected[i]))
                    return false;
            }
            return true;
        });

    private static bool NodeMatches(ProtoMessage item, NodeMetricsValue node, long now) =>
        SameNumbers(item, [1, 2, 3, 4, 4])
        && MetaMatches(item.Message(1), node.Name, "", node.Labels, now)
        && TimeMatches(item.Bytes(2), node.TimestampNs)
        && item.Message(3).Varint(1) == (ulong)node.WindowNs
        && UsageMatches(item.Map(4, quantityValues: true), node.CpuNanoCores, node.MemoryBytes);

    private static bool PodMatches(ProtoMessage item, PodMetricsValue pod, long now)
    {
        if (!MetaMatches(item.Message(1), pod.Name, pod.Namespace, pod.Labels, now)
            || !TimeMatches(item.Bytes(2), pod.TimestampNs) || item.Message(3).Varint(1) != (ulong)pod.WindowNs)
            return false;
        var containers = item.Messages(4);
        if (containers.Count != pod.Containers.Length)
            return false;
        for (var i = 0; i < containers.Count; i++)
        {
            var c = pod.Containers[i];
            if (!SameNumbers(containers[i], [1, 2, 2]) || containers[i].String(1) != c.Name
                || !UsageMatches(containers[i].Map(2, quantityValues: true), c.CpuNanoCores, c.MemoryBytes))
                return false;
        }
        return true;
    }

    // ObjectMeta: name 1, generateName 2, namespace 3, selfLink 4, uid 5, resourceVersion 6, generation 7,
    // creationTimestamp 8, labels 11 (one entry each, in key order, which LabelSet keeps).
    private static bool MetaMatches(ProtoMessage meta, string name, string ns, LabelSet labels, long now)
    {
        var expectedLabels = new List<string>();
        foreach (var pair in labels.Pairs)
            expectedLabels.Add(pair.Key + "=" + pair.Value);
        var stamp = meta.Message(8);
        return meta.String(1) == name && meta.String(2) == "" && meta.String(3) == ns && meta.String(4) == ""
            && meta.String(5) == "" && meta.String(6) == "" && meta.Varint(7) == 0
            && stamp.Varint(1) == (ulong)(now / 1_000_000_000) && stamp.Varint(2) == 0
            && meta.Map(11, quantityValues: false).SequenceEqual(expectedLabels);
    }

    private static bool TimeMatches(byte[] time, long timestampNs)
    {
        if (timestampNs == 0)
            return time.Length == 0;
        var message = ProtoMessage.Parse(time);
        return SameNumbers(message, [1, 2]) && message.Varint(1) == (ulong)(timestampNs / 1_000_000_000) && message.Varint(2) == 0;
    }

    private static bool UsageMatches(List<string> usage, ulong cpu, ulong memory) =>
        usage.SequenceEqual(["cpu=" + ReferenceQuantity.Cpu(cpu), "memory=" + ReferenceQuantity.Memory(memory)]);

    private static bool SameNumbers(ProtoMessage message, int[] numbers) => message.Numbers.SequenceEqual(numbers);

    private static byte[] List(Func<PipeWriter, ValueTask<int>> write)
    {
        using var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 256, leaveOpen: true));
        write(pipe).AsTask().GetAwaiter().GetResult();
        pipe.CompleteAsync().AsTask().GetAwaiter().GetResult();
        return stream.ToArray();
    }
}
