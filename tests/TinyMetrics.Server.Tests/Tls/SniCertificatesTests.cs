using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Security.Tests;

namespace TinyMetrics.Tls.Tests;

/// <summary>--tls-sni-cert-key over real handshakes: which certificate a client asking for a name gets.</summary>
[NotInParallel("in-process-server")]
public sealed class SniCertificatesTests : IDisposable
{
    private readonly OpenSslCertificates _sni = new();

    public SniCertificatesTests()
    {
        _sni.CreateCa("sni-ca");
        _sni.CreateLeaf("api", "sni-ca", "api.example.test", "serverAuth", subjectAltName: "DNS:api.example.test,DNS:metrics.example.test");
        _sni.CreateLeaf("shadowed", "sni-ca", "shadowed", "serverAuth", subjectAltName: "DNS:api.example.test");
        _sni.CreateLeaf("wildcard", "sni-ca", "wildcard", "serverAuth");
        _sni.CreateLeaf("explicit", "sni-ca", "explicit", "serverAuth", subjectAltName: "DNS:metrics.example.test");
    }

    public void Dispose() => _sni.Dispose();

    private string Pair(string name, string names = "") =>
        $"--tls-sni-cert-key={_sni.PathOf(name + ".crt")},{_sni.PathOf(name + ".key")}" + (names.Length == 0 ? "" : ":" + names);

    [Test]
    [Arguments("api.example.test", "api.example.test")]
    [Arguments("API.Example.Test", "api.example.test")]
    [Arguments("pods.metrics.test", "wildcard")]
    [Arguments("metrics.example.test", "explicit")]
    [Arguments("unknown.example.test", "tinymetrics-serving-1")]
    [Arguments("127.0.0.1", "tinymetrics-serving-1")]
    public async Task Handshake_ServerName_PicksTheCertificateUpstreamWould(string serverName, string expectedSubject)
    {
        // "shadowed" comes later with the same extracted name; "explicit" names a host "api" extracts.
        await using var server = await TlsServer.StartAsync(null,
            Pair("api"), Pair("shadowed"), Pair("wildcard", "*.metrics.test"), Pair("explicit", "metrics.example.test"));

        await using var ssl = await server.HandshakeAsync(serverName: serverName);

        await Assert.That(Subject(ssl)).IsEqualTo(expectedSubject);
    }

    [Test]
    public async Task Handshake_SniPairRotated_NextHandshakeGetsTheNewCertificate()
    {
        await using var server = await TlsServer.StartAsync(null, Pair("api"));
        await using (var before = await server.HandshakeAsync(serverName: "api.example.test"))
            await Assert.That(Subject(before)).IsEqualTo("api.example.test");

        _sni.CreateLeaf("api", "sni-ca", "api.example.test-rotated", "serverAuth", subjectAltName: "DNS:api.example.test");
        var subject = "";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !subject.StartsWith("api.example.test-rotated", StringComparison.Ordinal))
        {
            await Task.Delay(100);
            await using var after = await server.HandshakeAsync(serverName: "api.example.test");
            subject = Subject(after);
        }

        await Assert.That(subject).IsEqualTo("api.example.test-rotated");
    }

    [Test]
    public async Task Start_SniPairMissing_FailsWithTheFileNamed()
    {
        var missing = _sni.PathOf("absent.crt");

        var thrown = await Assert.That(async () =>
        {
            await using var server = await TlsServer.StartAsync(null, $"--tls-sni-cert-key={missing},{_sni.PathOf("absent.key")}");
        }).Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains("SNI certificate");
    }

    private static string Subject(SslStream ssl) => new X509Certificate2(ssl.RemoteCertificate!).GetNameInfo(X509NameType.SimpleName, forIssuer: false);
}
