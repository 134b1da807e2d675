using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>
/// YAML of a JSON document as the apiserver's YAML serializer writes it (sigs.k8s.io/yaml JSONToYAML, goyaml.v2):
/// mapping keys in yaml.v2's order, two-space indents, sequences in a mapping not indented, strings quoted
/// with double quotes when plain text would read as another type, single quotes when plain text is not
/// allowed. Long strings are not folded at 80 columns as goyaml does. Not a hot path.
/// </summary>
public static class YamlText
{
    public static byte[] FromJson(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var output = new StringBuilder();
        WriteNode(output, document.RootElement, 0, inSequence: false);
        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static void WriteNode(StringBuilder output, JsonElement value, int indent, bool inSequence)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object when HasProperties(value):
                WriteMapping(output, value, indent, inSequence);
                break;
            case JsonValueKind.Array when value.GetArrayLength() > 0:
                WriteSequence(output, value, indent);
                break;
            default:
                output.Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteMapping(StringBuilder output, JsonElement value, int indent, bool firstInline)
    {
        var keys = new List<JsonProperty>();
        foreach (var property in value.EnumerateObject())
            keys.Add(property);
        keys.Sort(static (a, b) => YamlKeyOrder.Compare(a.Name, b.Name));
        var first = true;
        foreach (var property in keys)
        {
            if (!(first && firstInline))
                output.Append(' ', indent);
            first = false;
            output.Append(QuoteString(property.Name)).Append(':');
            var child = property.Value;
            if (child.ValueKind == JsonValueKind.Object && HasProperties(child))
            {
                output.Append('\n');
                WriteMapping(output, child, indent + 2, false);
            }
            else if (child.ValueKind == JsonValueKind.Array && child.GetArrayLength() > 0)
            {
                output.Append('\n');
                WriteSequence(output, child, indent);
            }
            else
            {
                output.Append(' ').Append(Scalar(child)).Append('\n');
            }
        }
    }

    private static void WriteSequence(StringBuilder output, JsonElement value, int indent)
    {
        foreach (var item in value.EnumerateArray())
        {
            output.Append(' ', indent).Append("- ");
            if (item.ValueKind == JsonValueKind.Object && HasProperties(item))
                WriteMapping(output, item, indent + 2, firstInline: true);
            else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0)
            {
                output.Append('\n');
                WriteSequence(output, item, indent + 2);
            }
            else
                output.Append(Scalar(item)).Append('\n');
        }
    }

    private static bool HasProperties(JsonElement value)
    {
        foreach (var _ in value.EnumerateObject())
            return true;
        return false;
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "{}",
        JsonValueKind.Array => "[]",
        JsonValueKind.Null => "null",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => QuoteString(value.GetString()!),
    };

    private static string QuoteString(string s)
    {
        if (YamlScalar.ResolvesToNonString(s) || YamlScalar.NeedsDoubleQuotes(s))
            return JsonSerializerQuote(s);
        if (!YamlScalar.PlainAllowed(s))
            return "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
        return s;
    }

    // YAML double-quoted escapes for the characters Kubernetes strings hold (quote, backslash, controls).
    private static string JsonSerializerQuote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                '\n' => b.Append("\\n"),
                '\t' => b.Append("\\t"),
                < ' ' => b.Append("\\x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)),
                _ => b.Append(c),
            };
        }
        return b.Append('"').ToString();
    }
}
