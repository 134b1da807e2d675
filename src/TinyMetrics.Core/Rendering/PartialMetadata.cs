using System.Buffers;
using System.Text.Json;
using TinyMetrics.Discovery;

namespace TinyMetrics.Rendering;

/// <summary>The object metadata of a node or pod, as <c>meta.AsPartialObjectMetadata</c> takes it.</summary>
public readonly record struct MetadataItem(string Name, string? Namespace, LabelSet Labels);

/// <summary>
/// <c>as=PartialObjectMetadata[List]</c> of meta.k8s.io v1 or v1beta1 (handlers/response.go): the metadata metrics-server
/// fills in (name, namespace, creationTimestamp at request time, labels); list items carry their own kind and
/// apiVersion in JSON. Protobuf: PartialObjectMetadata {metadata 1}, PartialObjectMetadataList {metadata 1, items 2}.
/// Rendered per request from the values: a rare path (metadata informers, kubectl get -o name).
/// </summary>
public static class PartialMetadata
{
    public static void WriteJson(Utf8JsonWriter writer, MetadataItem item, bool metaV1Beta1, long nowUnixNs)
    {
        Span<byte> now = stackalloc byte[KubeTime.Length];
        KubeTime.FormatRfc3339(nowUnixNs, now);
        WriteJsonItem(writer, item, GroupVersion(metaV1Beta1), now);
    }

    public static void WriteJsonList(Utf8JsonWriter writer, IReadOnlyList<MetadataItem> items, bool metaV1Beta1, long nowUnixNs)
    {
        Span<byte> now = stackalloc byte[KubeTime.Length];
        KubeTime.FormatRfc3339(nowUnixNs, now);
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "PartialObjectMetadataList"u8);
        writer.WriteString("apiVersion"u8, GroupVersion(metaV1Beta1));
        writer.WriteStartObject("metadata"u8);
        writer.WriteEndObject();
        writer.WriteStartArray("items"u8);
        foreach (var item in items)
            WriteJsonItem(writer, item, GroupVersion(metaV1Beta1), now);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteProtobuf(IBufferWriter<byte> output, MetadataItem item, bool metaV1Beta1, long nowUnixNs)
    {
        var stamp = MetricsProto.Stamp(nowUnixNs);
        var size = ProtoWriter.SizeField(MetricsProto.MetaSize(item.Name, item.Namespace ?? "", item.Labels));
        MetricsProto.WriteObject(output, GroupVersion(metaV1Beta1), "PartialObjectMetadata"u8, size,
            (ref ProtoWriter w) => MetricsProto.WriteMeta(ref w, item.Name, item.Namespace ?? "", item.Labels, stamp));
    }

    public static void WriteProtobufList(IBufferWriter<byte> output, IReadOnlyList<MetadataItem> items, bool metaV1Beta1, long nowUnixNs)
    {
        var stamp = MetricsProto.Stamp(nowUnixNs);
        var size = ProtoEnvelope.EmptyListMeta.Length;
        foreach (var item in items)
            size += ProtoWriter.SizeField(ProtoWriter.SizeField(MetricsProto.MetaSize(item.Name, item.Namespace ?? "", item.Labels)));
        MetricsProto.WriteObject(output, GroupVersion(metaV1Beta1), "PartialObjectMetadataList"u8, size, (ref ProtoWriter w) =>
        {
            w.WriteRaw(ProtoEnvelope.EmptyListMeta);
            foreach (var item in items)
            {
                w.WriteHeader(2, ProtoWriter.SizeField(MetricsProto.MetaSize(item.Name, item.Namespace ?? "", item.Labels)));
                MetricsProto.WriteMeta(ref w, item.Name, item.Namespace ?? "", item.Labels, stamp);
            }
        });
    }

    private static void WriteJsonItem(Utf8JsonWriter writer, MetadataItem item, ReadOnlySpan<byte> groupVersion, ReadOnlySpan<byte> now)
    {
        writer.WriteStartObject();
        writer.WriteString("kind"u8, "PartialObjectMetadata"u8);
        writer.WriteString("apiVersion"u8, groupVersion);
        MetricsJson.WriteMetadata(writer, item.Name, item.Namespace, item.Labels, now);
        writer.WriteEndObject();
    }

    private static ReadOnlySpan<byte> GroupVersion(bool metaV1Beta1) => metaV1Beta1 ? "meta.k8s.io/v1beta1"u8 : "meta.k8s.io/v1"u8;
}
