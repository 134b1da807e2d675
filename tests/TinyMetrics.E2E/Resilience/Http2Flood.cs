using System.Buffers.Binary;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// A hostile HTTP/2 client on raw frames: one TLS connection, then <c>streams</c> HEADERS frames (GET, END_STREAM)
/// written at once, ignoring the server's SETTINGS_MAX_CONCURRENT_STREAMS as HttpClient never would. Every stream's
/// fate is read back: answered (a HEADERS frame), reset (RST_STREAM), or never processed (above a GOAWAY's last id),
/// and whether the server cut the connection before every stream was accounted for.
/// Headers are HPACK literals without Huffman coding (RFC 7541 §6.2.2).
/// </summary>
internal static class Http2Flood
{
    public sealed record Outcome(int Answered, int Reset, int Unprocessed, uint AnnouncedMaxStreams, IReadOnlyDictionary<uint, int> ResetCodes, bool Cut, string Trace)
    {
        public override string ToString() =>
            $"answered {Answered}, reset {Reset} ({string.Join(", ", ResetCodes.Select(c => $"code {c.Key}: {c.Value}"))}), unprocessed {Unprocessed}, cut {Cut}; {Trace}";
    }

    public static async Task<Outcome> RunAsync(string host, int port, string path, int streams, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port, timeout.Token);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, timeout.Token);

        using var output = new MemoryStream();
        output.Write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8);
        WriteFrame(output, 4, 0, 0, []);
        for (var i = 0; i < streams; i++)
            WriteFrame(output, 1, 0x5, (2 * i) + 1, Block(host, port, path));
        await ssl.WriteAsync(output.ToArray(), timeout.Token);
        await ssl.FlushAsync(timeout.Token);

        var answered = new HashSet<int>();
        var reset = new Dictionary<int, uint>();
        var lastProcessed = int.MaxValue;
        uint announced = 0;
        var trace = new StringBuilder();
        var cut = false;
        var header = new byte[9];
        // Streams are 1, 3, 5, …: a GOAWAY's last id leaves the ones above it unprocessed.
        int Processed() => lastProcessed == int.MaxValue ? streams : Math.Min(streams, (lastProcessed + 1) / 2);
        try
        {
            while (answered.Count + reset.Count < Processed())
            {
                await ssl.ReadExactlyAsync(header, timeout.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
                var payload = new byte[length];
                await ssl.ReadExactlyAsync(payload, timeout.Token);
                if (header[3] is not (0 or 1 or 3))
                    trace.Append($"frame {header[3]} flags {header[4]} length {length}; ");
                switch (header[3])
                {
                    case 1:
                        answered.Add(stream);
                        break;
                    case 3:
                        reset[stream] = BinaryPrimitives.ReadUInt32BigEndian(payload);
                        break;
                    case 4 when (header[4] & 1) == 0:
                        for (var i = 0; i + 6 <= payload.Length; i += 6)
                        {
                            if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)) == 3)
                                announced = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
                        }
                        WriteAck(ssl);
                        break;
                    case 7:
                        lastProcessed = BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                        trace.Append($"GOAWAY last {lastProcessed} code {BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4))}; ");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            // The server closed the connection (after a GOAWAY): what was read stands.
            cut = true;
            trace.Append("closed: ").Append(ex.GetType().Name).Append(' ').Append(ex.Message);
        }
        var processed = Processed();
        var codes = new Dictionary<uint, int>();
        foreach (var code in reset.Values)
            codes[code] = codes.GetValueOrDefault(code) + 1;
        return new Outcome(answered.Count, reset.Count, streams - processed, announced, codes, cut, trace.ToString());
    }

    private static void WriteAck(SslStream ssl) => ssl.Write(FrameBytes(4, 1, 0, []));

    private static byte[] Block(string host, int port, string path)
    {
        using var block = new MemoryStream();
        foreach (var (name, value) in new[] { (":method", "GET"), (":scheme", "https"), (":authority", host + ":" + port), (":path", path) })
        {
            block.WriteByte(0);
            WriteString(block, name);
            WriteString(block, value);
        }
        return block.ToArray();
    }

    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= 127)
            throw new ArgumentException("header strings here stay under 127 bytes", nameof(text));
        block.WriteByte((byte)bytes.Length);
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
}
