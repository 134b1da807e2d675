using System.Buffers;
using System.Text;
using System.Text.Json;

namespace TinyMetrics.E2E.Deploy;

/// <summary>Dotted paths into JSON ("spec.template.spec.containers.0.args") for short assertions.</summary>
public static class JsonPath
{
    public static JsonElement At(this JsonElement element, string path) =>
        element.TryAt(path, out var found) ? found : throw new KeyNotFoundException($"{path} not found in {element}");

    public static bool Has(this JsonElement element, string path) => element.TryAt(path, out _);

    public static bool TryAt(this JsonElement element, string path, out JsonElement found)
    {
        found = element;
        foreach (var step in path.Split('.'))
        {
            if (found.ValueKind == JsonValueKind.Array && int.TryParse(step, out var index) && index < found.GetArrayLength())
                found = found[index];
            else if (found.ValueKind != JsonValueKind.Object || !found.TryGetProperty(step, out found))
                return false;
        }
        return true;
    }

    /// <summary>A string's value, or anything else as compact JSON (kubectl prints keys sorted, so the text is stable).</summary>
    public static string Text(this JsonElement element, string path)
    {
        var found = element.At(path);
        if (found.ValueKind == JsonValueKind.String)
            return found.GetString()!;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            found.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string[] Strings(this JsonElement element, string path) =>
        element.At(path).EnumerateArray().Select(e => e.ToString()).ToArray();
}
