using System.Buffers;
using System.IO.Pipelines;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>
/// A <see cref="MetricsSnapshot"/> rendered to JSON once, when it is published. Serving an unfiltered list
/// is a header, copies of contiguous item bytes with the request time written over each creationTimestamp,
/// and a footer; selector-filtered lists and single objects reuse the same item bytes. Output is compact
/// JSON without a trailing newline. Immutable and safe for any number of concurrent readers.
/// </summary>
public sealed class RenderedSnapshot
{
    public static readonly RenderedSnapshot Empty = Render(MetricsSnapshot.Empty);

    // Items per flush in the async writers: about 64-256 KB of typical items.
    private const int ItemsPerFlush = 512;

    private readonly RenderedItems _nodes;
    private readonly RenderedItems _pods;
    private readonly ProtoItems _nodesProto;
    private readonly ProtoItems _podsProto;
    private readonly LabelIds _nodeLabels;
    private readonly LabelIds _podLabels;

    private RenderedSnapshot(MetricsSnapshot snapshot, RenderedItems nodes, RenderedItems pods, ProtoItems nodesProto, ProtoItems podsProto)
    {
        Snapshot = snapshot;
        _nodes = nodes;
        _pods = pods;
        _nodesProto = nodesProto;
        _podsProto = podsProto;
        _nodeLabels = LabelIds.Build(snapshot.Nodes, static n => n.Labels);
        _podLabels = LabelIds.Build(snapshot.Pods, static p => p.Labels);
    }

    public MetricsSnapshot Snapshot { get; }

    /// <summary>Bytes held by the pre-rendered items (for the memory budget).</summary>
    public long RenderedBytes => (long)_nodes.ByteCount + _pods.ByteCount + _nodesProto.ByteCount + _podsProto.ByteCount;

    /// <summary>Renders every node and pod item; throws <see cref="ArgumentException"/> when the snapshot is not sorted.</summary>
    public static RenderedSnapshot Render(MetricsSnapshot snapshot)
    {
        snapshot.EnsureSorted();
        var nodes = RenderedItems.Render(snapshot.Nodes, MetricsJson.WriteNodeItem);
        var pods = RenderedItems.Render(snapshot.Pods, MetricsJson.WritePodItem);
        var nodesProto = ProtoItems.Render(snapshot.Nodes, MetricsProto.NodeSize, MetricsProto.WriteNode);
        var podsProto = ProtoItems.Render(snapshot.Pods, MetricsProto.PodSize, MetricsProto.WritePod);
        return new RenderedSnapshot(snapshot, nodes, pods, nodesProto, podsProto);
    }

    /// <summary>
    /// Writes a NodeMetricsList; null or empty selectors mean all nodes. Flushes every few hundred items so a
    /// large list never sits whole in the pipe. Returns the number of items.
    /// </summary>
    public ValueTask<int> WriteNodeListAsync(PipeWriter output, ApiVersion version, long nowUnixNs, LabelSelector? labels = null, FieldSelector? fields = null, CancellationToken cancellationToken = default)
    {
        var filter = new ItemFilter(Snapshot, _nodeLabels, isPods: false, labels, fields);
        output.Write(JsonText.NodeListHeader(version));
        return WriteListAsync(output, _nodes, 0, _nodes.Count, filter, nowUnixNs, cancellationToken);
    }

    /// <summary>
    /// Writes a PodMetricsList of one namespace, or of all when <paramref name="ns"/> is null, flushing every few
    /// hundred items. A metadata.namespace=X term narrows the scan to X's range; the filter still checks every term.
    /// Returns the number of items.
    /// </summary>
    public ValueTask<int> WritePodListAsync(PipeWriter output, ApiVersion version, long nowUnixNs, string? ns = null, LabelSelector? labels = null, FieldSelector? fields = null, CancellationToken cancellationToken = default)
    {
        var filter = new ItemFilter(Snapshot, _podLabels, isPods: true, labels, fields);
        var (from, to) = Snapshot.NamespaceRange(ns ?? fields?.RequiredNamespace);
        output.Write(JsonText.PodListHeader(version));
        return WriteListAsync(output, _pods, from, to, filter, nowUnixNs, cancellationToken);
    }

    /// <summary>
    /// Calls <paramref name="observeAge"/> with the age in seconds (never negative) of each item the list with these
    /// selectors serves, as upstream observes metrics_server_api_metric_freshness_seconds once per served item.
    /// </summary>
    public void ObserveListAges(bool isPods, long nowUnixNs, string? ns, LabelSelector? labels, FieldSelector? fields, Action<double> observeAge)
    {
        using var filter = new ItemFilter(Snapshot, isPods ? _podLabels : _nodeLabels, isPods, labels, fields);
        var (from, to) = isPods ? Snapshot.NamespaceRange(ns ?? fields?.RequiredNamespace) : (0, Snapshot.Nodes.Length);
        for (var i = from; i < to; i++)
        {
            if (!filter.IsEmpty && !filter.Matches(i))
                continue;
            var stamp = isPods ? Snapshot.Pods[i].TimestampNs : Snapshot.Nodes[i].TimestampNs;
            observeAge(Math.Max(0, (nowUnixNs - stamp) / 1e9));
        }
    }

    /// <summary>Writes one NodeMetrics; false (nothing written) when the snapshot has no such node.</summary>
    public bool WriteNode(IBufferWriter<byte> output, ApiVersion version, long nowUnixNs, string name)
    {
        var index = Snapshot.IndexOfNode(name);
        if (index < 0)
            return false;
        output.Write(JsonText.NodePrefix(version));
        _nodes.WriteItemBody(output, index, Now(nowUnixNs, stackalloc byte[KubeTime.Length]));
        return true;
    }

    /// <summary>Writes one PodMetrics; false (nothing written) when the snapshot has no such pod.</summary>
    public bool WritePod(IBufferWriter<byte> output, ApiVersion version, long nowUnixNs, string ns, string name)
    {
        var index = Snapshot.IndexOfPod(ns, name);
        if (index < 0)
            return false;
        output.Write(JsonText.PodPrefix(version));
        _pods.WriteItemBody(output, index, Now(nowUnixNs, stackalloc byte[KubeTime.Length]));
        return true;
    }

    /// <summary>A NodeMetricsList in the protobuf envelope, as <see cref="WriteNodeListAsync"/> selects it.</summary>
    public ValueTask<int> WriteNodeListProtobufAsync(PipeWriter output, ApiVersion version, long nowUnixNs, LabelSelector? labels = null, FieldSelector? fields = null, CancellationToken cancellationToken = default)
    {
        var filter = new ItemFilter(Snapshot, _nodeLabels, isPods: false, labels, fields);
        return ProtoListWriter.WriteAsync(output, _nodesProto, isPods: false, version, 0, Snapshot.Nodes.Length, filter, nowUnixNs, cancellationToken);
    }

    /// <summary>A PodMetricsList in the protobuf envelope, as <see cref="WritePodListAsync"/> selects it.</summary>
    public ValueTask<int> WritePodListProtobufAsync(PipeWriter output, ApiVersion version, long nowUnixNs, string? ns = null, LabelSelector? labels = null, FieldSelector? fields = null, CancellationToken cancellationToken = default)
    {
        var filter = new ItemFilter(Snapshot, _podLabels, isPods: true, labels, fields);
        var (from, to) = Snapshot.NamespaceRange(ns ?? fields?.RequiredNamespace);
        return ProtoListWriter.WriteAsync(output, _podsProto, isPods: true, version, from, to, filter, nowUnixNs, cancellationToken);
    }

    /// <summary>One NodeMetrics in the protobuf envelope; false (nothing written) when there is no such node.</summary>
    public bool WriteNodeProtobuf(IBufferWriter<byte> output, ApiVersion version, long nowUnixNs, string name) =>
        WriteProtobuf(output, _nodesProto, Snapshot.IndexOfNode(name), version, "NodeMetrics"u8, nowUnixNs);

    /// <summary>One PodMetrics in the protobuf envelope; false (nothing written) when there is no such pod.</summary>
    public bool WritePodProtobuf(IBufferWriter<byte> output, ApiVersion version, long nowUnixNs, string ns, string name) =>
        WriteProtobuf(output, _podsProto, Snapshot.IndexOfPod(ns, name), version, "PodMetrics"u8, nowUnixNs);

    private static bool WriteProtobuf(IBufferWriter<byte> output, ProtoItems items, int index, ApiVersion version, ReadOnlySpan<byte> kind, long nowUnixNs)
    {
        if (index < 0)
            return false;
        Span<byte> now = stackalloc byte[MetricsProto.StampLength];
        MetricsProto.FormatStamp(MetricsProto.Stamp(nowUnixNs), now);
        ProtoEnvelope.WriteHeader(output, ProtoEnvelope.GroupVersion(version), kind, items.BodyLength(index));
        items.WriteBody(output, index, now);
        output.Write(ProtoEnvelope.Footer);
        return true;
    }

    // The list header is already written; the items follow in flushed batches. The "now" buffer is pooled
    // because it lives across awaits, so a filtered query allocates nothing when the flushes complete at once.
    private static async ValueTask<int> WriteListAsync(
        PipeWriter output, RenderedItems items, int from, int to, ItemFilter filter, long nowUnixNs, CancellationToken cancellationToken)
    {
        var now = ArrayPool<byte>.Shared.Rent(KubeTime.Length);
        try
        {
            using (filter)
            {
                KubeTime.FormatRfc3339(nowUnixNs, now);
                var count = 0;
                for (var batch = from; batch < to; batch += ItemsPerFlush)
                {
                    count = WriteItems(output, items, batch, Math.Min(to, batch + ItemsPerFlush), filter, now.AsSpan(0, KubeTime.Length), count);
                    var result = await output.FlushAsync(cancellationToken);
                    if (result.IsCompleted || result.IsCanceled)
                        return count;
                }
                output.Write(JsonText.ListFooter);
                return count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(now);
        }
    }

    // Writes the matching items of [from, to) as runs of consecutive matches, one copy per run.
    // `written` is the number of items already in the list, which decides the leading comma.
    private static int WriteItems(IBufferWriter<byte> output, RenderedItems items, int from, int to, ItemFilter filter, ReadOnlySpan<byte> now, int written)
    {
        if (filter.IsEmpty)
        {
            if (from == to)
                return written;
            if (written > 0)
                output.Write(","u8);
            items.WriteRange(output, from, to, now);
            return written + (to - from);
        }
        var i = from;
        while (i < to)
        {
            if (!filter.Matches(i))
            {
                i++;
                continue;
            }
            var runStart = i;
            while (i < to && filter.Matches(i))
                i++;
            if (written > 0)
                output.Write(","u8);
            items.WriteRange(output, runStart, i, now);
            written += i - runStart;
        }
        return written;
    }

    private static ReadOnlySpan<byte> Now(long unixNs, Span<byte> buffer)
    {
        KubeTime.FormatRfc3339(unixNs, buffer);
        return buffer;
    }
}
