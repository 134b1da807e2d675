using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Text;

namespace TinyMetrics.Tls.Tests;

/// <summary>Request size limits and timeouts for slow and idle clients, over real TLS.</summary>
[NotInParallel("in-process-server")]
public sealed class ServingLimitsTests
{
    [Test]
    public async Task SlowClient_HeadersTrickledPastTheTimeout_IsDisconnected()
    {
        var tuning = new ServingTuning { RequestHeadersTimeout = TimeSpan.FromSeconds(2) };
        await using var server = await TlsServer.StartAsync(tuning);
        using var ssl = await server.HandshakeAsync();
        var clock = Stopwatch.StartNew();

        var closed = ReadUntilClosedAsync(ssl);
        // 150 bytes a quarter second apart take 37 s to send: the server must cut the client off long before.
        var request = Encoding.ASCII.GetBytes("GET /livez/ping HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + new string('a', 100));
        var sent = 0;
        foreach (var b in request)
        {
            if (closed.IsCompleted)
                break;
            try
            {
                await ssl.WriteAsync(new[] { b });
                sent++;
            }
            catch (IOException)
            {
                break;
            }
            await Task.Delay(250);
        }
        var answer = await closed.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(sent).IsLessThan(request.Length);
        await Assert.That(clock.Elapsed).IsGreaterThan(TimeSpan.FromSeconds(1.5));
        await Assert.That(answer).DoesNotContain("200 OK");
    }

    [Test]
    public async Task IdleClient_AfterKeepAliveTimeout_IsDisconnected()
    {
        var tuning = new ServingTuning { KeepAliveTimeout = TimeSpan.FromSeconds(2) };
        await using var server = await TlsServer.StartAsync(tuning);
        using var ssl = await server.HandshakeAsync();
        await ssl.WriteAsync("GET /livez/ping HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var clock = Stopwatch.StartNew();

        var answer = await ReadUntilClosedAsync(ssl).WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(answer).StartsWith("HTTP/1.1 200");
        await Assert.That(clock.Elapsed).IsGreaterThan(TimeSpan.FromSeconds(1.5));
    }

    [Test]
    public async Task OversizeHeader_OverOneMebibyte_Gets431()
    {
        await using var server = await TlsServer.StartAsync();
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/livez/ping");
        request.Headers.Add("X-Big", new string('h', (1024 * 1024) + 1024));

        using var response = await client.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.RequestHeaderFieldsTooLarge);
    }

    [Test]
    public async Task LargeHeader_UnderTheLimit_IsServed()
    {
        await using var server = await TlsServer.StartAsync();
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/livez/ping");
        // Kestrel's own default (32 KiB) would refuse this; the Go apiserver takes up to 1 MiB.
        request.Headers.Add("X-Big", new string('h', 200 * 1024));

        using var response = await client.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    /// <summary>Everything the server sends until it closes the connection (end of stream or reset).</summary>
    private static async Task<string> ReadUntilClosedAsync(SslStream ssl)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await ssl.ReadAsync(buffer)) > 0)
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
        return text.ToString();
    }
}
