using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

public sealed class FrontProxyVerifierTests : IDisposable
{
    private readonly OpenSslCertificates _certs = new();

    public FrontProxyVerifierTests()
    {
        _certs.CreateCa("front-proxy-ca");
        _certs.CreateCa("other-ca");
        _certs.CreateLeaf("proxy", "front-proxy-ca", "front-proxy-client");
        _certs.CreateLeaf("stranger", "front-proxy-ca", "someone-else");
        _certs.CreateLeaf("foreign", "other-ca", "front-proxy-client");
        _certs.CreateLeaf("server-only", "front-proxy-ca", "front-proxy-client", extendedKeyUsage: "serverAuth");
    }

    private FrontProxyVerifier Verifier(params string[] allowed) => new(new FrontProxySettings(
        CertificateBundle.Parse(File.ReadAllBytes(_certs.PathOf("front-proxy-ca.crt"))), allowed, ["X-Remote-User"], ["X-Remote-Group"], ["X-Remote-Extra-"]));

    private X509Certificate2 Leaf(string name) => X509CertificateLoader.LoadCertificateFromFile(_certs.PathOf(name + ".crt"));

    [Test]
    public async Task Verify_AllowedProxyCertificate_IsTrusted()
    {
        using var leaf = Leaf("proxy");

        await Assert.That(Verifier("front-proxy-client").Verify(leaf, DateTime.UtcNow)).IsNull();
    }

    [Test]
    public async Task Verify_AnyNameAllowedWhenListEmpty_IsTrusted()
    {
        using var leaf = Leaf("stranger");

        await Assert.That(Verifier().Verify(leaf, DateTime.UtcNow)).IsNull();
    }

    [Test]
    [Arguments("stranger", "common name")]
    [Arguments("foreign", "not signed")]
    [Arguments("server-only", "not signed")]
    public async Task Verify_UntrustedCertificate_ReturnsReason(string name, string reasonPart)
    {
        using var leaf = Leaf(name);

        await Assert.That(Verifier("front-proxy-client").Verify(leaf, DateTime.UtcNow)).Contains(reasonPart);
    }

    [Test]
    public async Task Verify_ExpiredAtVerificationTime_IsRejected()
    {
        using var leaf = Leaf("proxy");

        await Assert.That(Verifier("front-proxy-client").Verify(leaf, DateTime.UtcNow.AddDays(30))).IsNotNull();
    }

    public void Dispose() => _certs.Dispose();
}
