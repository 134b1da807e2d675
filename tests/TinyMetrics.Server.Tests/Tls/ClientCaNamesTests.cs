namespace TinyMetrics.Tls.Tests;

/// <summary>
/// The certificate request names the client and request-header CAs, as Go's server does with ClientCAs,
/// and follows a CA file that changes.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class ClientCaNamesTests
{
    [Test]
    public async Task Handshake_ClientAndRequestHeaderCas_AreNamedAndFollowReloads()
    {
        await using var server = await TlsServer.StartAsync();
        var certs = server.Certificates;
        certs.CreateCa("client-ca");
        certs.CreateCa("front-proxy-ca");
        certs.CreateCa("next-client-ca");
        File.Copy(certs.PathOf("client-ca.crt"), certs.PathOf("rotating-client-ca.crt"));
        await using var withCas = await TlsServer.StartAsync(null, $"--client-ca-file={certs.PathOf("rotating-client-ca.crt")}",
            $"--requestheader-client-ca-file={certs.PathOf("front-proxy-ca.crt")}");

        var before = await AcceptableIssuersAsync(withCas);
        File.Copy(certs.PathOf("next-client-ca.crt"), certs.PathOf("rotating-client-ca.crt"), overwrite: true);
        var after = before;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !after.Contains("CN=next-client-ca"))
        {
            await Task.Delay(100);
            after = await AcceptableIssuersAsync(withCas);
        }
        var none = await AcceptableIssuersAsync(server);

        await Assert.That(before).IsEquivalentTo(["CN=client-ca", "CN=front-proxy-ca"]);
        await Assert.That(after).IsEquivalentTo(["CN=next-client-ca", "CN=front-proxy-ca"]);
        await Assert.That(none).IsEmpty();
    }

    private static async Task<string[]> AcceptableIssuersAsync(TlsServer server)
    {
        string[] issuers = [];
        await using var ssl = await server.HandshakeAsync(selectClientCertificate: (_, _, _, _, acceptable) =>
        {
            issuers = acceptable;
            return null!;
        });
        return issuers;
    }
}
