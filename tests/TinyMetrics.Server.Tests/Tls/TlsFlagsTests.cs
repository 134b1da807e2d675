using System.Net.Security;
using System.Security.Authentication;
using TinyMetrics.Configuration;

namespace TinyMetrics.Tls.Tests;

/// <summary>--tls-min-version and --tls-cipher-suites, read with the upstream names.</summary>
public sealed class TlsFlagsTests
{
    [Test]
    [Arguments("", SslProtocols.Tls12 | SslProtocols.Tls13, 0)]
    [Arguments("VersionTLS10", SslProtocols.Tls12 | SslProtocols.Tls13, 1)]
    [Arguments("VersionTLS11", SslProtocols.Tls12 | SslProtocols.Tls13, 1)]
    [Arguments("VersionTLS12", SslProtocols.Tls12 | SslProtocols.Tls13, 0)]
    [Arguments("VersionTLS13", SslProtocols.Tls13, 0)]
    public async Task MinVersion_UpstreamName_MapsToOfferedProtocols(string name, SslProtocols expected, int warningCount)
    {
        var warnings = new List<string>();

        var protocols = TlsFlags.MinVersion(name, warnings);

        await Assert.That(protocols).IsEqualTo(expected);
        await Assert.That(warnings.Count).IsEqualTo(warningCount);
    }

    [Test]
    [Arguments("tls1.2")]
    [Arguments("versiontls12")]
    public async Task MinVersion_UnknownName_ThrowsWithUpstreamMessage(string name)
    {
        var thrown = await Assert.That(() => TlsFlags.MinVersion(name, [])).Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains($"unknown tls version \"{name}\"");
    }

    [Test]
    public async Task CipherSuites_None_KeepsPlatformDefaults()
    {
        await Assert.That(TlsFlags.CipherSuites([], [])).IsNull();
    }

    [Test]
    public async Task CipherSuites_GoNamesAndAliases_MapToIanaSuitesPlusTls13()
    {
        var warnings = new List<string>();

        var suites = TlsFlags.CipherSuites(["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305"], warnings);

        await Assert.That(suites!).IsEquivalentTo(new[]
        {
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        });
        await Assert.That(warnings).IsEmpty();
    }

    [Test]
    public async Task CipherSuites_InsecureButOffered_AcceptedWithUpstreamWarning()
    {
        var warnings = new List<string>();

        var suites = TlsFlags.CipherSuites(["TLS_RSA_WITH_AES_128_GCM_SHA256"], warnings);

        await Assert.That(suites!).Contains(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256);
        await Assert.That(warnings).IsEquivalentTo(new[] { "Use of insecure cipher 'TLS_RSA_WITH_AES_128_GCM_SHA256' detected." });
    }

    [Test]
    [Arguments("TLS_RSA_WITH_RC4_128_SHA")]
    [Arguments("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA")]
    [Arguments("ECDHE-RSA-AES128-GCM-SHA256")]
    [Arguments("tls_ecdhe_rsa_with_aes_128_gcm_sha256")]
    public async Task CipherSuites_UnknownOrUnavailable_ThrowsNamingTheSuite(string name)
    {
        var thrown = await Assert.That(() => TlsFlags.CipherSuites(["TLS_AES_128_GCM_SHA256", name], [])).Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains($"Cipher suite {name} not supported or doesn't exist");
    }

    [Test]
    [Arguments("/nowhere/tls.crt", "", "must be given together")]
    [Arguments("", "/nowhere/tls.key", "must be given together")]
    [Arguments("/nowhere/tls.crt", "/nowhere/tls.key", "serving certificate: Could not find")]
    public async Task Create_CertificateFlagsUnusable_ThrowsInvalidData(string certFile, string keyFile, string message)
    {
        var options = new ServerOptions { TlsCertFile = certFile, TlsPrivateKeyFile = keyFile, SecurePort = 0 };

        var thrown = await Assert.That(() => ServingTls.Create(options, ServingTuning.Default, TimeProvider.System, out _))
            .Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains(message);
    }
}
