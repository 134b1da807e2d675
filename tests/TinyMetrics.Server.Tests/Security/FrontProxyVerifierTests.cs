using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

public sealed class FrontProxyVerifierTests : IDisposable
{
    private readonly OpenSslCertificates _certs = new();

    public FrontProxyVerifierTests()
    {
        // The CA outlives the short-lived leaves, so at a time between the two only the leaf has expired.
        _certs.CreateCa("front-proxy-ca", days: 30);
        _certs.CreateCa("other-ca");
        _certs.CreateLeaf("proxy", "front-proxy-ca", "front-proxy-client", days: 1);
        _certs.CreateLeaf("proxy-long-lived", "front-proxy-ca", "front-proxy-client", days: 20);
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
    public async Task Verify_LeafExpiredWhileCaStillValid_IsRejected()
    {
        using var expired = Leaf("proxy");
        using var valid = Leaf("proxy-long-lived");
        var fiveDaysLater = DateTime.UtcNow.AddDays(5);

        // The same CA, name and usage: the only difference between the two leaves is their NotAfter.
        await Assert.That(expired.NotAfter.ToUniversalTime()).IsLessThan(fiveDaysLater);
        await Assert.That(Verifier("front-proxy-client").Verify(valid, fiveDaysLater)).IsNull();
        await Assert.That(Verifier("front-proxy-client").Verify(expired, fiveDaysLater)).Contains("not signed");
        await Assert.That(Verifier("front-proxy-client").Verify(expired, DateTime.UtcNow)).IsNull();
    }

    public void Dispose() => _certs.Dispose();
}
