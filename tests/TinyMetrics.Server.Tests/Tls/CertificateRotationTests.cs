using System.Net.Security;
using System.Text;

namespace TinyMetrics.Tls.Tests;

/// <summary>The serving certificate replaced on disk while clients keep making requests.</summary>
[NotInParallel("in-process-server")]
public sealed class CertificateRotationTests
{
    [Test]
    public async Task Rotation_MidTraffic_NoRequestFailsAndNewConnectionsSeeTheNewCertificate()
    {
        await using var server = await TlsServer.StartAsync();
        TlsServer.CreateServingCertificate(server.Certificates, "serving-2");
        using var opened = await server.HandshakeAsync();
        await Assert.That(Thumbprint(opened)).IsEqualTo(server.ThumbprintOf("serving-1"));

        using var stop = new CancellationTokenSource();
        var keepAlive = LoopAsync(server.Client(), stop.Token);
        var fresh = LoopAsync(server.Client(freshConnections: true), stop.Token);
        await Task.Delay(500);
        server.Mount("serving-2");
        var seen = await WaitForThumbprintAsync(server, server.ThumbprintOf("serving-2"), TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await stop.CancelAsync();
        var (keepAliveOk, keepAliveFailed) = await keepAlive;
        var (freshOk, freshFailed) = await fresh;

        await Assert.That(seen).IsEqualTo(server.ThumbprintOf("serving-2"));
        await Assert.That(keepAliveFailed + freshFailed).IsEqualTo(0);
        await Assert.That(keepAliveOk).IsGreaterThan(5);
        await Assert.That(freshOk).IsGreaterThan(5);
        // The connection opened before the swap still works, with the certificate it was made with.
        await Assert.That(await PingAsync(opened)).StartsWith("HTTP/1.1 200");
        await Assert.That(Thumbprint(opened)).IsEqualTo(server.ThumbprintOf("serving-1"));
    }

    [Test]
    [Arguments("mismatched-key")]
    [Arguments("half-written")]
    public async Task Rotation_BadReplacement_KeepsTheOldCertificateThenTakesAGoodOne(string kind)
    {
        await using var server = await TlsServer.StartAsync();
        TlsServer.CreateServingCertificate(server.Certificates, "serving-2");
        TlsServer.CreateServingCertificate(server.Certificates, "serving-3");
        if (kind == "mismatched-key")
        {
            server.Mount("serving-2", keyName: "serving-3");
        }
        else
        {
            var pem = await File.ReadAllTextAsync(server.Certificates.PathOf("serving-2.crt"));
            await File.WriteAllTextAsync(server.Certificates.PathOf("half.crt"), pem[..(pem.Length / 2)]);
            server.Mount("half", keyName: "serving-2");
        }
        await Task.Delay(1500);

        using (var afterBad = await server.HandshakeAsync())
            await Assert.That(Thumbprint(afterBad)).IsEqualTo(server.ThumbprintOf("serving-1"));

        server.Mount("serving-2");
        var seen = await WaitForThumbprintAsync(server, server.ThumbprintOf("serving-2"), TimeSpan.FromSeconds(10));
        await Assert.That(seen).IsEqualTo(server.ThumbprintOf("serving-2"));
    }

    private static string Thumbprint(SslStream ssl) =>
        new System.Security.Cryptography.X509Certificates.X509Certificate2(ssl.RemoteCertificate!).Thumbprint;

    private static async Task<string> WaitForThumbprintAsync(TlsServer server, string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string seen;
        do
        {
            using var ssl = await server.HandshakeAsync();
            seen = Thumbprint(ssl);
            if (seen == expected)
                break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return seen;
    }

    private static async Task<(int Ok, int Failed)> LoopAsync(HttpClient client, CancellationToken stop)
    {
        using (client)
        {
            int ok = 0, failed = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/livez/ping", CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                        ok++;
                    else
                        failed++;
                }
                catch (HttpRequestException)
                {
                    failed++;
                }
                await Task.Delay(20, CancellationToken.None);
            }
            return (ok, failed);
        }
    }

    private static async Task<string> PingAsync(SslStream ssl)
    {
        await ssl.WriteAsync("GET /livez/ping HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var buffer = new byte[4096];
        var read = await ssl.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
