using System.Buffers;
using System.Text;

namespace TinyMetrics.Rendering;

/// <summary>
/// metav1.Status in the protobuf envelope (apiVersion v1, kind Status): metadata 1 (empty ListMeta), status 2,
/// message 3, reason 4, details 5 {name 1, group 2, kind 3, causes 4 {reason 1, message 2, field 3},
/// retryAfterSeconds 5, uid 6} when present, code 6. Built bottom-up; error answers are not a hot path.
/// </summary>
internal static class StatusProto
{
    public static byte[] Render(int code, string reason, string message, string? name, string? group, string? kind, string? cause, bool hasDetails)
    {
        var status = new ArrayBufferWriter<byte>(256);
        status.Write(ProtoEnvelope.EmptyListMeta);
        Field(status, 2, "Failure");
        Field(status, 3, message);
        Field(status, 4, reason);
        if (hasDetails)
            Message(status, 5, Details(name, group, kind, cause));
        Varint(status, 6, (ulong)(uint)code);

        var output = new ArrayBufferWriter<byte>(status.WrittenCount + 32);
        ProtoEnvelope.WriteHeader(output, "v1"u8, "Status"u8, status.WrittenCount);
        output.Write(status.WrittenSpan);
        output.Write(ProtoEnvelope.Footer);
        return output.WrittenSpan.ToArray();
    }

    private static ReadOnlySpan<byte> Details(string? name, string? group, string? kind, string? cause)
    {
        var details = new ArrayBufferWriter<byte>(128);
        Field(details, 1, name ?? "");
        Field(details, 2, group ?? "");
        Field(details, 3, kind ?? "");
        if (cause is not null)
        {
            var c = new ArrayBufferWriter<byte>(64);
            Field(c, 1, "");
            Field(c, 2, cause);
            Field(c, 3, "");
            Message(details, 4, c.WrittenSpan);
        }
        Varint(details, 5, 0);
        Field(details, 6, "");
        return details.WrittenSpan;
    }

    private static void Field(ArrayBufferWriter<byte> output, int field, string value) =>
        Message(output, field, Encoding.UTF8.GetBytes(value));

    private static void Message(ArrayBufferWriter<byte> output, int field, ReadOnlySpan<byte> body)
    {
        var size = ProtoWriter.SizeField(body.Length);
        var writer = new ProtoWriter(output.GetSpan(size));
        writer.WriteBytes(field, body);
        output.Advance(size);
    }

    private static void Varint(ArrayBufferWriter<byte> output, int field, ulong value)
    {
        var size = 1 + ProtoWriter.SizeVarint(value);
        var writer = new ProtoWriter(output.GetSpan(size));
        writer.WriteVarintField(field, value);
        output.Advance(size);
    }
}
