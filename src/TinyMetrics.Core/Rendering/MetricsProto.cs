using System.Buffers;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>
/// NodeMetrics/PodMetrics in protobuf with the field numbers of k8s.io/metrics' generated.proto and the
/// apimachinery meta types, byte for byte as gogo-protobuf marshals them: every non-pointer string and
/// int field is written even when empty, map entries in key order, Time as seconds with nanos 0, a zero
/// Time as an empty message, Quantity as its canonical string. <see cref="RenderedSnapshot"/> pre-renders
/// the same bytes; <see cref="ProtoEnvelope"/> wraps them for the wire.
/// </summary>
public static class MetricsProto
{
    /// <summary>Bytes of a creationTimestamp's seconds varint: fixed so the request time patches in place.</summary>
    internal const int StampLength = 5;

    /// <summary>A whole NodeMetrics in the envelope, rendered from the values (the reference for the cached bytes).</summary>
    public static void WriteNode(IBufferWriter<byte> output, NodeMetricsValue node, ApiVersion version, long nowUnixNs) =>
        WriteObject(output, ProtoEnvelope.GroupVersion(version), "NodeMetrics"u8, NodeSize(node), (ref ProtoWriter w) => WriteNode(ref w, node, Stamp(nowUnixNs)));

    /// <summary>A whole PodMetrics in the envelope, rendered from the values.</summary>
    public static void WritePod(IBufferWriter<byte> output, PodMetricsValue pod, ApiVersion version, long nowUnixNs) =>
        WriteObject(output, ProtoEnvelope.GroupVersion(version), "PodMetrics"u8, PodSize(pod), (ref ProtoWriter w) => WritePod(ref w, pod, Stamp(nowUnixNs)));

    internal delegate void BodyWriter(ref ProtoWriter writer);

    internal static void WriteObject(IBufferWriter<byte> output, ReadOnlySpan<byte> apiVersion, ReadOnlySpan<byte> kind, int size, BodyWriter write)
    {
        ProtoEnvelope.WriteHeader(output, apiVersion, kind, size);
        var writer = new ProtoWriter(output.GetSpan(size));
        write(ref writer);
        output.Advance(size);
        output.Write(ProtoEnvelope.Footer);
    }

    /// <summary>The 5-byte seconds varint of a creationTimestamp at <paramref name="unixNs"/>.</summary>
    internal static ulong Stamp(long unixNs) => (ulong)(unixNs / 1_000_000_000);

    /// <summary>Writes <paramref name="seconds"/> as a varint padded to <see cref="StampLength"/> bytes.</summary>
    internal static void FormatStamp(ulong seconds, Span<byte> destination)
    {
        for (var i = 0; i < StampLength - 1; i++)
        {
            destination[i] = (byte)(seconds | 0x80);
            seconds >>= 7;
        }
        destination[StampLength - 1] = (byte)(seconds & 0x7f);
    }

    internal static int NodeSize(NodeMetricsValue node) =>
        ProtoWriter.SizeField(MetaSize(node.Name, "", node.Labels)) + TimeAndWindowSize(node.TimestampNs, node.WindowNs)
        + UsageEntriesSize(node.CpuNanoCores, node.MemoryBytes, node.Swap);

    internal static int PodSize(PodMetricsValue pod)
    {
        var size = ProtoWriter.SizeField(MetaSize(pod.Name, pod.Namespace, pod.Labels)) + TimeAndWindowSize(pod.TimestampNs, pod.WindowNs);
        foreach (var container in pod.Containers)
            size += ProtoWriter.SizeField(ContainerSize(container));
        return size;
    }

    /// <summary>Writes a NodeMetrics body; returns the offset of the creationTimestamp seconds from the writer's start.</summary>
    internal static int WriteNode(ref ProtoWriter writer, NodeMetricsValue node, ulong stamp)
    {
        var stampAt = WriteMeta(ref writer, node.Name, "", node.Labels, stamp);
        WriteTimeAndWindow(ref writer, node.TimestampNs, node.WindowNs);
        WriteUsageEntries(ref writer, 4, node.CpuNanoCores, node.MemoryBytes, node.Swap);
        return stampAt;
    }

    internal static int WritePod(ref ProtoWriter writer, PodMetricsValue pod, ulong stamp)
    {
        var stampAt = WriteMeta(ref writer, pod.Name, pod.Namespace, pod.Labels, stamp);
        WriteTimeAndWindow(ref writer, pod.TimestampNs, pod.WindowNs);
        foreach (var container in pod.Containers)
        {
            writer.WriteHeader(4, ContainerSize(container));
            writer.WriteString(1, container.Name);
            WriteUsageEntries(ref writer, 2, container.CpuNanoCores, container.MemoryBytes, container.Swap);
        }
        return stampAt;
    }

    // ObjectMeta: name 1, generateName 2, namespace 3, selfLink 4, uid 5, resourceVersion 6, generation 7,
    // creationTimestamp 8 (a Time of seconds and nanos), labels 11.
    internal static int MetaSize(string name, string ns, LabelSet labels)
    {
        var size = ProtoWriter.SizeString(name) + ProtoWriter.SizeString(ns) + 2 * 4 + 2 + ProtoWriter.SizeField(1 + StampLength + 2);
        foreach (var pair in labels.Pairs)
            size += ProtoWriter.SizeField(LabelSize(pair));
        return size;
    }

    private static int LabelSize(KeyValuePair<string, string> pair) => ProtoWriter.SizeString(pair.Key) + ProtoWriter.SizeString(pair.Value);

    internal static int WriteMeta(ref ProtoWriter writer, string name, string ns, LabelSet labels, ulong stamp)
    {
        writer.WriteHeader(1, MetaSize(name, ns, labels));
        writer.WriteString(1, name);
        writer.WriteHeader(2, 0);
        writer.WriteString(3, ns);
        writer.WriteHeader(4, 0);
        writer.WriteHeader(5, 0);
        writer.WriteHeader(6, 0);
        writer.WriteVarintField(7, 0);
        writer.WriteHeader(8, 1 + StampLength + 2);
        writer.WriteRaw([0x08]);
        var stampAt = writer.Position;
        Span<byte> seconds = stackalloc byte[StampLength];
        FormatStamp(stamp, seconds);
        writer.WriteRaw(seconds);
        writer.WriteVarintField(2, 0);
        foreach (var pair in labels.Pairs)
        {
            writer.WriteHeader(11, LabelSize(pair));
            writer.WriteString(1, pair.Key);
            writer.WriteString(2, pair.Value);
        }
        return stampAt;
    }

    // timestamp 2 (empty for the zero time, as metav1.Time marshals it), window 3 (Duration{1: int64 ns}).
    private static int TimeAndWindowSize(long timestampNs, long windowNs) =>
        ProtoWriter.SizeField(TimeSize(timestampNs)) + ProtoWriter.SizeField(1 + ProtoWriter.SizeVarint((ulong)windowNs));

    private static int TimeSize(long timestampNs) =>
        timestampNs == 0 ? 0 : 1 + ProtoWriter.SizeVarint((ulong)(timestampNs / 1_000_000_000)) + 2;

    private static void WriteTimeAndWindow(ref ProtoWriter writer, long timestampNs, long windowNs)
    {
        writer.WriteHeader(2, TimeSize(timestampNs));
        if (timestampNs != 0)
        {
            writer.WriteVarintField(1, (ulong)(timestampNs / 1_000_000_000));
            writer.WriteVarintField(2, 0);
        }
        writer.WriteHeader(3, 1 + ProtoWriter.SizeVarint((ulong)windowNs));
        writer.WriteVarintField(1, (ulong)windowNs);
    }

    private static int ContainerSize(ContainerMetricsValue container) =>
        ProtoWriter.SizeString(container.Name) + UsageEntriesSize(container.CpuNanoCores, container.MemoryBytes, container.Swap);

    // map<string, Quantity>: one entry {1: key, 2: Quantity{1: string}} per resource in key order (Go's generated
    // marshaller sorts them): "cpu", "memory", then "swap" when the kubelet reported it.
    private static int UsageEntriesSize(ulong cpu, ulong memory, SwapUsage swap)
    {
        Span<byte> value = stackalloc byte[Quantity.MaxLength];
        var cpuLength = Quantity.FormatCpu(cpu, value);
        var memoryLength = Quantity.FormatMemory(memory, value);
        var size = ProtoWriter.SizeField(EntrySize(3, cpuLength)) + ProtoWriter.SizeField(EntrySize(6, memoryLength));
        return swap.IsReported ? size + ProtoWriter.SizeField(EntrySize(4, Quantity.FormatMemory(swap.Bytes, value))) : size;
    }

    private static int EntrySize(int keyLength, int quantityLength) =>
        ProtoWriter.SizeField(keyLength) + ProtoWriter.SizeField(ProtoWriter.SizeField(quantityLength));

    private static void WriteUsageEntries(ref ProtoWriter writer, int field, ulong cpu, ulong memory, SwapUsage swap)
    {
        Span<byte> value = stackalloc byte[Quantity.MaxLength];
        WriteEntry(ref writer, field, "cpu"u8, value[..Quantity.FormatCpu(cpu, value)]);
        WriteEntry(ref writer, field, "memory"u8, value[..Quantity.FormatMemory(memory, value)]);
        if (swap.IsReported)
            WriteEntry(ref writer, field, "swap"u8, value[..Quantity.FormatMemory(swap.Bytes, value)]);
    }

    private static void WriteEntry(ref ProtoWriter writer, int field, scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> quantity)
    {
        writer.WriteHeader(field, EntrySize(key.Length, quantity.Length));
        writer.WriteBytes(1, key);
        writer.WriteHeader(2, ProtoWriter.SizeField(quantity.Length));
        writer.WriteBytes(1, quantity);
    }
}
