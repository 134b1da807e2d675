using System.Text.Json;
using TinyMetrics.Configuration;
using TinyMetrics.Discovery;
using TinyMetrics.Parsing;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>
/// NodeMetrics/PodMetrics JSON in the field order of k8s.io/metrics pkg/apis/metrics/v1beta1/types.go, written with <see cref="Utf8JsonWriter"/>.
/// This is the from-scratch renderer; <see cref="RenderedSnapshot"/> pre-renders the same items once per
/// snapshot. Pass an indented writer for <c>?pretty=true</c>.
/// </summary>
public static class MetricsJson
{
    public static JsonWriterOptions CompactOptions => JsonText.Compact;

    public static JsonWriterOptions IndentedOptions => JsonText.Indented;

    public static void WriteNode(Utf8JsonWriter writer, NodeMetricsValue node, ApiVersion version, long nowUnixNs)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "NodeMetrics"u8);
        writer.WriteString("apiVersion"u8, JsonText.GroupVersion(version));
        WriteNodeFields(writer, node, Stamp(nowUnixNs, stackalloc byte[KubeTime.Length]));
        writer.WriteEndObject();
    }

    public static void WritePod(Utf8JsonWriter writer, PodMetricsValue pod, ApiVersion version, long nowUnixNs)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "PodMetrics"u8);
        writer.WriteString("apiVersion"u8, JsonText.GroupVersion(version));
        WritePodFields(writer, pod, Stamp(nowUnixNs, stackalloc byte[KubeTime.Length]));
        writer.WriteEndObject();
    }

    /// <summary>A NodeMetricsList of the nodes that match both selectors (null = everything).</summary>
    public static void WriteNodeList(
        Utf8JsonWriter writer, ReadOnlySpan<NodeMetricsValue> nodes, ApiVersion version, long nowUnixNs,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var stamp = Stamp(nowUnixNs, stackalloc byte[KubeTime.Length]);
        WriteListStart(writer, "NodeMetricsList"u8, version);
        foreach (var node in nodes)
        {
            if ((labels is null || labels.Matches(node.Labels)) && (fields is null || fields.Matches(node.Name, null)))
                WriteNodeItem(writer, node, stamp);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A PodMetricsList of the pods that match both selectors (null = everything).</summary>
    public static void WritePodList(
        Utf8JsonWriter writer, ReadOnlySpan<PodMetricsValue> pods, ApiVersion version, long nowUnixNs,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var stamp = Stamp(nowUnixNs, stackalloc byte[KubeTime.Length]);
        WriteListStart(writer, "PodMetricsList"u8, version);
        foreach (var pod in pods)
        {
            if ((labels is null || labels.Matches(pod.Labels)) && (fields is null || fields.Matches(pod.Name, pod.Namespace)))
                WritePodItem(writer, pod, stamp);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>A list item (no kind/apiVersion); returns the offset of the creationTimestamp value's first digit.</summary>
    internal static long WriteNodeItem(Utf8JsonWriter writer, NodeMetricsValue node, ReadOnlySpan<byte> creationTimestamp)
    {
        writer.WriteStartObject();
        var stampAt = WriteNodeFields(writer, node, creationTimestamp);
        writer.WriteEndObject();
        return stampAt;
    }

    internal static long WritePodItem(Utf8JsonWriter writer, PodMetricsValue pod, ReadOnlySpan<byte> creationTimestamp)
    {
        writer.WriteStartObject();
        var stampAt = WritePodFields(writer, pod, creationTimestamp);
        writer.WriteEndObject();
        return stampAt;
    }

    private static long WriteNodeFields(Utf8JsonWriter writer, NodeMetricsValue node, ReadOnlySpan<byte> creationTimestamp)
    {
        var stampAt = WriteMetadata(writer, node.Name, null, node.Labels, creationTimestamp);
        WriteTimeAndWindow(writer, node.TimestampNs, node.WindowNs);
        writer.WritePropertyName("usage"u8);
        WriteUsage(writer, node.CpuNanoCores, node.MemoryBytes, node.Swap);
        return stampAt;
    }

    private static long WritePodFields(Utf8JsonWriter writer, PodMetricsValue pod, ReadOnlySpan<byte> creationTimestamp)
    {
        var stampAt = WriteMetadata(writer, pod.Name, pod.Namespace, pod.Labels, creationTimestamp);
        WriteTimeAndWindow(writer, pod.TimestampNs, pod.WindowNs);
        writer.WriteStartArray("containers"u8);
        foreach (var container in pod.Containers)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, container.Name);
            writer.WritePropertyName("usage"u8);
            WriteUsage(writer, container.CpuNanoCores, container.MemoryBytes, container.Swap);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        return stampAt;
    }

    internal static long WriteMetadata(Utf8JsonWriter writer, string name, string? ns, LabelSet labels, ReadOnlySpan<byte> creationTimestamp)
    {
        writer.WriteStartObject("metadata"u8);
        writer.WriteString("name"u8, name);
        if (ns is not null)
            writer.WriteString("namespace"u8, ns);
        writer.WritePropertyName("creationTimestamp"u8);
        // Compact output only: the value's opening quote comes next, its first digit right after.
        var stampAt = writer.BytesCommitted + writer.BytesPending + 1;
        writer.WriteStringValue(creationTimestamp);
        if (labels.Count > 0)
        {
            writer.WriteStartObject("labels"u8);
            foreach (var pair in labels.Pairs)
                writer.WriteString(pair.Key, pair.Value);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        return stampAt;
    }

    private static void WriteTimeAndWindow(Utf8JsonWriter writer, long timestampNs, long windowNs)
    {
        if (timestampNs == 0)
            writer.WriteNull("timestamp"u8);
        else
            writer.WriteString("timestamp"u8, Stamp(timestampNs, stackalloc byte[KubeTime.Length]));
        Span<byte> window = stackalloc byte[GoDuration.MaxLength];
        writer.WriteString("window"u8, window[..GoDuration.Format(windowNs, window)]);
    }

    // Keys in Go's sorted map order; swap (kubectl's ResourceSwap) only when the kubelet reported it, BinarySI as memory.
    private static void WriteUsage(Utf8JsonWriter writer, ulong cpuNanoCores, ulong memoryBytes, SwapUsage swap)
    {
        Span<byte> value = stackalloc byte[Quantity.MaxLength];
        writer.WriteStartObject();
        writer.WriteString("cpu"u8, value[..Quantity.FormatCpu(cpuNanoCores, value)]);
        writer.WriteString("memory"u8, value[..Quantity.FormatMemory(memoryBytes, value)]);
        if (swap.IsReported)
            writer.WriteString("swap"u8, value[..Quantity.FormatMemory(swap.Bytes, value)]);
        writer.WriteEndObject();
    }

    private static void WriteListStart(Utf8JsonWriter writer, ReadOnlySpan<byte> kind, ApiVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, kind);
        writer.WriteString("apiVersion"u8, JsonText.GroupVersion(version));
        writer.WriteStartObject("metadata"u8);
        writer.WriteEndObject();
        writer.WriteStartArray("items"u8);
    }

    private static ReadOnlySpan<byte> Stamp(long unixNs, Span<byte> buffer)
    {
        KubeTime.FormatRfc3339(unixNs, buffer);
        return buffer;
    }
}
