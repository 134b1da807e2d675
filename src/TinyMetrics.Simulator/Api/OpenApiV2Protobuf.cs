using System.Text;
using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// /openapi/v2 as kube-apiserver serves it to <c>Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf</c>
/// (what kubectl up to 1.27 reads): the JSON spec as gnostic's openapi_v2.Document. Encodes swagger, info and the
/// definitions (the schema keywords the merged spec uses, vendor extensions as YAML text), which is what kubectl's
/// model lookup by x-kubernetes-group-version-kind needs; paths are left out.
/// </summary>
internal static class OpenApiV2Protobuf
{
    /// <summary>What kubectl asks for (kube-openapi's deprecated spelling of the type).</summary>
    public const string AcceptedType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    /// <summary>What kube-openapi answers with for either spelling ('@' is not valid in a Go media type).</summary>
    public const string ContentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static byte[] Encode(JsonElement spec)
    {
        var document = new ProtoWriter();
        document.String(1, spec.GetProperty("swagger").GetString()!);
        var info = new ProtoWriter();
        info.String(1, spec.GetProperty("info").GetProperty("title").GetString()!);
        info.String(2, spec.GetProperty("info").GetProperty("version").GetString()!);
        document.Message(2, info);
        var definitions = new ProtoWriter();
        foreach (var definition in spec.GetProperty("definitions").EnumerateObject())
            definitions.Message(1, NamedSchema(definition.Name, definition.Value));
        document.Message(9, definitions);
        return document.ToArray();
    }

    private static ProtoWriter NamedSchema(string name, JsonElement schema)
    {
        var named = new ProtoWriter();
        named.String(1, name);
        named.Message(2, Schema(schema));
        return named;
    }

    // gnostic Schema field numbers: _ref 1, format 2, description 4, required 19, additional_properties 21,
    // type 22, items 23, properties 25, vendor_extension 31.
    private static ProtoWriter Schema(JsonElement schema)
    {
        var w = new ProtoWriter();
        foreach (var member in schema.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "$ref": w.String(1, value.GetString()!); break;
                case "format": w.String(2, value.GetString()!); break;
                case "description": w.String(4, value.GetString()!); break;
                case "required":
                    foreach (var item in value.EnumerateArray())
                        w.String(19, item.GetString()!);
                    break;
                case "additionalProperties": w.Message(21, Wrap(1, Schema(value))); break;
                case "type":
                    var type = new ProtoWriter();
                    type.String(1, value.GetString()!);
                    w.Message(22, type);
                    break;
                case "items": w.Message(23, Wrap(1, Schema(value))); break;
                case "properties":
                    var properties = new ProtoWriter();
                    foreach (var property in value.EnumerateObject())
                        properties.Message(1, NamedSchema(property.Name, property.Value));
                    w.Message(25, properties);
                    break;
                default:
                    if (member.Name.StartsWith("x-", StringComparison.Ordinal))
                        w.Message(31, NamedAny(member.Name, value));
                    break;
            }
        }
        return w;
    }

    // NamedAny{name 1, value 2: Any{yaml 2}}: gnostic keeps an extension's value as its YAML text, and JSON is YAML.
    private static ProtoWriter NamedAny(string name, JsonElement value)
    {
        var any = new ProtoWriter();
        any.String(2, value.GetRawText() + "\n");
        var named = new ProtoWriter();
        named.String(1, name);
        named.Message(2, any);
        return named;
    }

    private static ProtoWriter Wrap(int field, ProtoWriter inner)
    {
        var outer = new ProtoWriter();
        outer.Message(field, inner);
        return outer;
    }

    /// <summary>The two protobuf wire types a document needs: length-delimited strings and messages.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _bytes = new();

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private void Bytes(int field, byte[] value)
        {
            Varint((ulong)((field << 3) | 2));
            Varint((ulong)value.Length);
            _bytes.Write(value);
        }

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }
}
