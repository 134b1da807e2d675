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
        Counts keepAlive = new(), fresh = new();
        var loops = Task.WhenAll(LoopAsync(server.Client(), keepAlive, stop.Token), LoopAsync(server.Client(freshConnections: true), fresh, stop.Token));
        // At least five answers on each kind of connection before the swap and five more after it is seen.
        var before = await WaitForAnswersAsync([keepAlive, fresh], 5, TimeSpan.FromSeconds(60));
        server.Mount("serving-2");
        var seen = await WaitForThumbprintAsync(server, server.ThumbprintOf("serving-2"), TimeSpan.FromSeconds(30));
        var (keepAliveAtSwap, freshAtSwap) = (keepAlive.Ok, fresh.Ok);
        var after = await WaitForAnswersAsync([keepAlive, fresh], Math.Max(keepAliveAtSwap, freshAtSwap) + 5, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await loops;

        await Assert.That(before).IsTrue();
        await Assert.That(seen).IsEqualTo(server.ThumbprintOf("serving-2"));
        await Assert.That(after).IsTrue();
        await Assert.That(keepAlive.Failed + fresh.Failed).IsEqualTo(0);
        await Assert.That(keepAlive.Ok - keepAliveAtSwap).IsGreaterThanOrEqualTo(5);
        await Assert.That(fresh.Ok - freshAtSwap).IsGreaterThanOrEqualTo(5);
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
        // The reload loop has read the bad files and refused them (event 4002) before the handshake is judged.
        var refused = await server.WaitForLogAsync(4002, "serving certificate", TimeSpan.FromSeconds(30));
        await Assert.That(refused).IsTrue().Because(string.Join("\n", server.Log.Lines));

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

    /// <summary>Answers counted by one client loop, read by the test while the loop runs.</summary>
    private sealed class Counts
    {
        private int _ok;
        private int _failed;

        public int Ok => Volatile.Read(ref _ok);

        public int Failed => Volatile.Read(ref _failed);

        public void Count(bool ok) => Interlocked.Increment(ref ok ? ref _ok : ref _failed);
    }

    private static async Task<bool> WaitForAnswersAsync(Counts[] loops, int atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (loops.Any(l => l.Ok < atLeast))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    private static async Task LoopAsync(HttpClient client, Counts counts, CancellationToken stop)
    {
        using (client)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.GetAsync("/livez/ping", CancellationToken.None);
                    counts.Count(response.IsSuccessStatusCode);
                }
                catch (HttpRequestException)
                {
                    counts.Count(false);
                }
                await Task.Delay(20, CancellationToken.None);
            }
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
