using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TinyMetrics.Http.Tests;

/// <summary>
/// Requests as a hostile client writes them, byte for byte over real TLS, where HttpClient would
/// normalize them (method case, repeated headers joined, connection-specific headers dropped on HTTP/2).
/// HTTP/2 headers go as HPACK literals without Huffman coding (RFC 7541 §6.2.2).
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(20);

    /// <summary>Sends <paramref name="request"/> as written (it should say Connection: close); returns the status code and body.</summary>
    public static async Task<(int Code, string Body)> Http1Async(int port, X509Certificate2? certificate, string request)
    {
        var text = Encoding.UTF8.GetString(await ExchangeAsync(port, certificate, request));
        var code = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (code, bodyStart < 0 ? "" : text[(bodyStart + 4)..]);
    }

    /// <summary>
    /// Sends <paramref name="request"/> as written and reads until the server closes the connection;
    /// returns the code of every "HTTP/1.1 NNN" status line received, so an answered smuggled request shows.
    /// Throws when the server keeps the connection open past the limit.
    /// </summary>
    public static async Task<List<int>> Http1AllAsync(int port, X509Certificate2? certificate, string request)
    {
        var text = Encoding.Latin1.GetString(await ExchangeAsync(port, certificate, request));
        var codes = new List<int>();
        for (var at = text.IndexOf("HTTP/1.1 ", StringComparison.Ordinal); at >= 0 && at + 12 <= text.Length;
             at = text.IndexOf("HTTP/1.1 ", at + 9, StringComparison.Ordinal))
        {
            if (at == 0 || text[at - 1] == '\n')
                codes.Add(int.Parse(text.AsSpan(at + 9, 3), System.Globalization.CultureInfo.InvariantCulture));
        }
        return codes;
    }

    // Writes the request bytes as given over HTTP/1.1 and reads until the server closes, within the limit.
    private static async Task<byte[]> ExchangeAsync(int port, X509Certificate2? certificate, string request)
    {
        using var cts = new CancellationTokenSource(s_limit);
        await using var tls = await ConnectAsync(port, certificate, SslApplicationProtocol.Http11, cts.Token);
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request), cts.Token);
        using var received = new MemoryStream();
        await tls.CopyToAsync(received, cts.Token);
        return received.ToArray();
    }

    /// <summary>
    /// Sends one HEADERS frame (END_STREAM) on stream 1 and returns what the server answered on it:
    /// "status NNN", "RST_STREAM n" (n the error code, 1 = PROTOCOL_ERROR) or "GOAWAY n".
    /// </summary>
    public static async Task<string> Http2Async(int port, X509Certificate2? certificate, params (string Name, string Value)[] headers)
    {
        using var cts = new CancellationTokenSource(s_limit);
        await using var tls = await ConnectAsync(port, certificate, SslApplicationProtocol.Http2, cts.Token);
        var block = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            block.WriteByte(0); // literal without indexing, new name
            WriteString(block, name);
            WriteString(block, value);
        }
        var output = new MemoryStream();
        output.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(output, 4, 0, 0, []);                       // SETTINGS, empty
        WriteFrame(output, 1, 0x5, 1, block.ToArray());         // HEADERS, END_STREAM | END_HEADERS
        await tls.WriteAsync(output.ToArray(), cts.Token);

        var header = new byte[9];
        while (true)
        {
            await tls.ReadExactlyAsync(header, cts.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var type = header[3];
            var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7fffffff;
            var payload = new byte[length];
            await tls.ReadExactlyAsync(payload, cts.Token);
            if (type == 4 && (header[4] & 1) == 0)
                await tls.WriteAsync(FrameBytes(4, 1, 0, []), cts.Token); // SETTINGS ACK
            else if (type == 3 && stream == 1)
                return "RST_STREAM " + BinaryPrimitives.ReadUInt32BigEndian(payload);
            else if (type == 7)
                return "GOAWAY " + BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4));
            else if (type == 1 && stream == 1)
                return "status " + Status(payload);
        }
    }

    // The first field of a response block is :status: indexed (static 8–14) or a literal with name index 8.
    private static string Status(byte[] block)
    {
        string[] indexed = ["200", "204", "206", "304", "400", "404", "500"];
        if ((block[0] & 0x80) != 0)
            return indexed[(block[0] & 0x7f) - 8];
        var length = block[1] & 0x7f;
        return (block[1] & 0x80) != 0 ? "huffman" : Encoding.ASCII.GetString(block, 2, length);
    }

    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        // 7-bit prefix integer (RFC 7541 §5.1), no Huffman.
        if (bytes.Length < 127)
        {
            block.WriteByte((byte)bytes.Length);
        }
        else
        {
            block.WriteByte(127);
            var rest = bytes.Length - 127;
            while (rest >= 128)
            {
                block.WriteByte((byte)((rest & 0x7f) | 0x80));
                rest >>= 7;
            }
            block.WriteByte((byte)rest);
        }
        block.Write(bytes);
    }

    private static void WriteFrame(MemoryStream output, byte type, byte flags, int stream, byte[] payload) =>
        output.Write(FrameBytes(type, flags, stream, payload));

    private static byte[] FrameBytes(byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }

    private static async Task<SslStream> ConnectAsync(int port, X509Certificate2? certificate, SslApplicationProtocol protocol, CancellationToken token)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, token);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            ApplicationProtocols = [protocol],
            ClientCertificates = certificate is null ? null : [certificate],
        }, token);
        return tls;
    }
}
