using System.Net;
using System.Net.Security;
using System.Security.Authentication;

namespace TinyMetrics.Tls.Tests;

/// <summary>What a client is offered in the handshake, over real TLS against the real server.</summary>
[NotInParallel("in-process-server")]
public sealed class TlsHandshakeTests
{
    [Test]
    public async Task MinVersion_Tls13_Tls12OnlyClientIsRefused()
    {
        await using var server = await TlsServer.StartAsync(null, "--tls-min-version=VersionTLS13");

        await Assert.That(async () => { using var ssl = await server.HandshakeAsync(SslProtocols.Tls12); })
            .Throws<Exception>().Because("a TLS 1.2-only client must not complete a handshake");
        using var ok = await server.HandshakeAsync(SslProtocols.Tls13);
        await Assert.That(ok.SslProtocol).IsEqualTo(SslProtocols.Tls13);
    }

    [Test]
    public async Task MinVersion_Default_Tls12ClientIsServed()
    {
        await using var server = await TlsServer.StartAsync();

        using var ssl = await server.HandshakeAsync(SslProtocols.Tls12);

        await Assert.That(ssl.SslProtocol).IsEqualTo(SslProtocols.Tls12);
    }

    [Test]
    [Arguments("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [Arguments("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    public async Task CipherSuites_Tls12Client_NegotiatesOnlyTheConfiguredSuite(string flag, TlsCipherSuite expected)
    {
        await using var server = await TlsServer.StartAsync(null, $"--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,{flag}");

        using var ssl = await server.HandshakeAsync(SslProtocols.Tls12);

        await Assert.That(ssl.NegotiatedCipherSuite).IsEqualTo(expected);
    }

    [Test]
    public async Task CipherSuites_Tls13Client_StillServedAsGoDoes()
    {
        await using var server = await TlsServer.StartAsync(null, "--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

        using var ssl = await server.HandshakeAsync(SslProtocols.Tls13);

        await Assert.That(ssl.SslProtocol).IsEqualTo(SslProtocols.Tls13);
    }

    [Test]
    public async Task Alpn_Default_NegotiatesH2AndServesHttp2()
    {
        await using var server = await TlsServer.StartAsync();

        using var ssl = await server.HandshakeAsync(alpn: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);
        using var client = server.Client(HttpVersion.Version20);
        using var response = await client.GetAsync("/livez/ping");

        await Assert.That(ssl.NegotiatedApplicationProtocol).IsEqualTo(SslApplicationProtocol.Http2);
        await Assert.That(response.Version).IsEqualTo(HttpVersion.Version20);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Alpn_DisableHttp2Serving_NegotiatesHttp11()
    {
        await using var server = await TlsServer.StartAsync(null, "--disable-http2-serving");

        using var ssl = await server.HandshakeAsync(alpn: [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11]);

        await Assert.That(ssl.NegotiatedApplicationProtocol).IsEqualTo(SslApplicationProtocol.Http11);
    }

    [Test]
    [Arguments("--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_FAKE_SUITE", "Cipher suite TLS_FAKE_SUITE not supported or doesn't exist")]
    [Arguments("--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA", "Cipher suite TLS_RSA_WITH_RC4_128_SHA not supported")]
    [Arguments("--tls-min-version=VersionTLS14", "unknown tls version \"VersionTLS14\"")]
    public async Task Start_BadTlsFlag_FailsWithInvalidDataNamingTheValue(string flag, string message)
    {
        var thrown = await Assert.That(async () => { await using var server = await TlsServer.StartAsync(null, flag); })
            .Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains(message);
    }
}
