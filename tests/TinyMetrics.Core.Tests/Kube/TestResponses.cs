using System.Text;

namespace TinyMetrics.Kube.Tests;

/// <summary>Raw HTTP/1.1 response writing for the loopback test server.</summary>
public static class TestResponses
{
    public static async Task WriteAsync(Stream stream, int status, string reason, byte[] body, string contentType, CancellationToken cancellationToken)
    {
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static Task WriteTextAsync(Stream stream, int status, string reason, string body, CancellationToken cancellationToken) =>
        WriteAsync(stream, status, reason, Encoding.UTF8.GetBytes(body), "text/plain; version=0.0.4", cancellationToken);

    public static Task WriteJsonAsync(Stream stream, string json, CancellationToken cancellationToken) =>
        WriteAsync(stream, 200, "OK", Encoding.UTF8.GetBytes(json), "application/json", cancellationToken);

    public static async Task BeginChunkedAsync(Stream stream, string contentType, CancellationToken cancellationToken)
    {
        var head = $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static async Task WriteChunkAsync(Stream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), cancellationToken);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public static Task WriteChunkAsync(Stream stream, string text, CancellationToken cancellationToken) =>
        WriteChunkAsync(stream, Encoding.UTF8.GetBytes(text), cancellationToken);

    public static async Task EndChunkedAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
