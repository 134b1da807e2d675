using System.Buffers;

namespace TinyMetrics.Rendering;

/// <summary>
/// The Kubernetes protobuf envelope (apimachinery runtime/serializer/protobuf): the magic <c>k8s\0</c>, then a
/// runtime.Unknown {typeMeta 1 {apiVersion 1, kind 2}, raw 2, contentEncoding 3, contentType 4} whose raw is
/// the object. Header and footer go around raw, so cached bodies are copied between them.
/// </summary>
public static class ProtoEnvelope
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    /// <summary>Empty contentEncoding and contentType, written as gogo-protobuf writes non-pointer strings.</summary>
    internal static ReadOnlySpan<byte> Footer => [0x1a, 0x00, 0x22, 0x00];

    /// <summary>ListMeta {selfLink 1, resourceVersion 2, continue 3} all empty, as field 1 of a list.</summary>
    internal static ReadOnlySpan<byte> EmptyListMeta => [0x0a, 0x06, 0x0a, 0x00, 0x12, 0x00, 0x1a, 0x00];

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static ReadOnlySpan<byte> GroupVersion(ApiVersion version) => JsonText.GroupVersion(version);

    /// <summary>Writes the magic, typeMeta and the tag and length of a raw of <paramref name="rawLength"/> bytes.</summary>
    public static void WriteHeader(IBufferWriter<byte> output, ReadOnlySpan<byte> apiVersion, ReadOnlySpan<byte> kind, long rawLength)
    {
        var typeMeta = ProtoWriter.SizeField(apiVersion.Length) + ProtoWriter.SizeField(kind.Length);
        var size = Magic.Length + ProtoWriter.SizeField(typeMeta) + 1 + ProtoWriter.SizeVarint((ulong)rawLength);
        var writer = new ProtoWriter(output.GetSpan(size));
        writer.WriteRaw(Magic);
        writer.WriteHeader(1, typeMeta);
        writer.WriteBytes(1, apiVersion);
        writer.WriteBytes(2, kind);
        writer.WriteRaw([0x12]);
        writer.WriteVarint((ulong)rawLength);
        output.Advance(size);
    }

    /// <summary>Bytes of the envelope around a raw of <paramref name="rawLength"/> bytes (for Content-Length).</summary>
    public static long Size(ReadOnlySpan<byte> apiVersion, ReadOnlySpan<byte> kind, long rawLength)
    {
        var typeMeta = ProtoWriter.SizeField(apiVersion.Length) + ProtoWriter.SizeField(kind.Length);
        return Magic.Length + ProtoWriter.SizeField(typeMeta) + 1 + ProtoWriter.SizeVarint((ulong)rawLength) + rawLength + Footer.Length;
    }
}
