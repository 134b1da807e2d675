using System.Text;
using Google.Protobuf;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// An independent protobuf reader for the tests: Google.Protobuf's CodedInputStream splits a message into its
/// fields (number, varint or bytes, in wire order); the tests name the field numbers of generated.proto.
/// </summary>
internal sealed class ProtoMessage
{
    private readonly List<(int Field, ulong Varint, byte[]? Bytes)> _fields = [];

    public static ProtoMessage Parse(byte[] bytes)
    {
        var message = new ProtoMessage();
        var input = new CodedInputStream(bytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint:
                    message._fields.Add((field, input.ReadUInt64(), null));
                    break;
                case WireFormat.WireType.LengthDelimited:
                    message._fields.Add((field, 0, input.ReadBytes().ToByteArray()));
                    break;
                default:
                    throw new InvalidDataException($"unexpected wire type in field {field}");
            }
        }
        return message;
    }

    /// <summary>Field numbers in wire order, to check that nothing unexpected is present.</summary>
    public IReadOnlyList<int> Numbers
    {
        get
        {
            var numbers = new List<int>();
            foreach (var f in _fields)
                numbers.Add(f.Field);
            return numbers;
        }
    }

    public string String(int field) => Encoding.UTF8.GetString(Bytes(field));

    public byte[] Bytes(int field)
    {
        foreach (var f in _fields)
        {
            if (f.Field == field)
                return f.Bytes ?? throw new InvalidDataException($"field {field} is a varint");
        }
        throw new KeyNotFoundException($"field {field} is absent");
    }

    public ulong Varint(int field)
    {
        foreach (var f in _fields)
        {
            if (f.Field == field && f.Bytes is null)
                return f.Varint;
        }
        throw new KeyNotFoundException($"varint field {field} is absent");
    }

    public ProtoMessage Message(int field) => Parse(Bytes(field));

    public List<ProtoMessage> Messages(int field)
    {
        var list = new List<ProtoMessage>();
        foreach (var f in _fields)
        {
            if (f.Field == field)
                list.Add(Parse(f.Bytes!));
        }
        return list;
    }

    /// <summary>A map&lt;string, string&gt; or map&lt;string, Quantity&gt; as "key=value" in wire order.</summary>
    public List<string> Map(int field, bool quantityValues)
    {
        var entries = new List<string>();
        foreach (var entry in Messages(field))
            entries.Add(entry.String(1) + "=" + (quantityValues ? entry.Message(2).String(1) : entry.String(2)));
        return entries;
    }

    /// <summary>Splits the <c>k8s\0</c> envelope: (apiVersion, kind, raw, contentEncoding, contentType).</summary>
    public static (string ApiVersion, string Kind, ProtoMessage Raw, string Encoding, string ContentType) Envelope(byte[] body)
    {
        if (body.Length < 4 || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0)
            throw new InvalidDataException("no k8s\\0 magic");
        var unknown = Parse(body[4..]);
        var typeMeta = unknown.Message(1);
        return (typeMeta.String(1), typeMeta.String(2), unknown.Message(2), unknown.String(3), unknown.String(4));
    }
}
