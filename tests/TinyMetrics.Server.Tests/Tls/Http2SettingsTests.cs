using System.Buffers.Binary;
using System.Net.Security;

namespace TinyMetrics.Tls.Tests;

/// <summary>The HTTP/2 SETTINGS the server announces, read from the raw frames after an h2 handshake.</summary>
[NotInParallel("in-process-server")]
public sealed class Http2SettingsTests
{
    private const ushort MaxConcurrentStreams = 0x3;

    [Test]
    [Arguments(null, 250u)]
    [Arguments("--http2-max-streams-per-connection=7", 7u)]
    public async Task Settings_MaxConcurrentStreams_FollowsTheFlagOrGoDefault(string? flag, uint expected)
    {
        await using var server = await TlsServer.StartAsync(null, flag is null ? [] : [flag]);
        using var ssl = await server.HandshakeAsync(alpn: [SslApplicationProtocol.Http2]);

        await ssl.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await ssl.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
        var settings = await ReadSettingsAsync(ssl);

        await Assert.That(settings.TryGetValue(MaxConcurrentStreams, out var value)).IsTrue();
        await Assert.That(value).IsEqualTo(expected);
    }

    private static async Task<Dictionary<ushort, uint>> ReadSettingsAsync(SslStream ssl)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var header = new byte[9];
        await ssl.ReadExactlyAsync(header, timeout.Token);
        var length = (header[0] << 16) | (header[1] << 8) | header[2];
        if (header[3] != 4)
            throw new InvalidDataException($"first server frame has type {header[3]}, not SETTINGS");
        var payload = new byte[length];
        await ssl.ReadExactlyAsync(payload, timeout.Token);
        var settings = new Dictionary<ushort, uint>();
        for (var i = 0; i + 6 <= payload.Length; i += 6)
            settings[BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i))] = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
        return settings;
    }
}
