using System.Buffers;
using System.Text.Json;
using TinyMetrics.Rendering;

namespace TinyMetrics.Http;

/// <summary>
/// Writes a Kubernetes <c>Status</c> error body in the negotiated format, as responsewriters.ErrorNegotiated does:
/// JSON, YAML or protobuf by the Accept header under the default restrictions (no conversions); when nothing
/// there is acceptable, indented JSON (WriteRawJSON), so an error is never hidden behind a 406.
/// </summary>
internal static class StatusWriter
{
    public static Task WriteAsync(HttpContext context, StatusResponse status)
    {
        var body = status.Body;
        var contentType = "application/json";
        if (!ContentNegotiation.TryNegotiate(context.Request, resource: false, out var media))
            body = Indented(status.Body);
        else if (media.Kind == MediaKind.Protobuf)
            (body, contentType) = (status.Protobuf, ProtoEnvelope.ContentType);
        else if (media.Kind == MediaKind.Yaml)
            (body, contentType) = (YamlText.FromJson(status.Body), "application/yaml");
        context.Response.StatusCode = status.StatusCode;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    // Go's json.MarshalIndent(status, "", "  "): no trailing newline.
    private static byte[] Indented(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>(json.Length * 2);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
