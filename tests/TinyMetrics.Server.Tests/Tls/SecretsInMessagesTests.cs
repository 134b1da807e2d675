using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Security.Tests;

namespace TinyMetrics.Tls.Tests;

/// <summary>Key and certificate bodies never appear in start-up errors or reload warnings (issue item 6).</summary>
public sealed class SecretsInMessagesTests : IDisposable
{
    private readonly OpenSslCertificates _certs = new();

    public SecretsInMessagesTests()
    {
        _certs.CreateCa("serving-ca");
        TlsServer.CreateServingCertificate(_certs, "good");
        TlsServer.CreateServingCertificate(_certs, "other");
    }

    [Test]
    public async Task Start_MismatchedKey_ErrorNamesTheFilesButNoPemBody()
    {
        var thrown = await Assert.That(() => ServingIdentity.Reloadable(_certs.PathOf("good.crt"), _certs.PathOf("other.key"), "serving certificate", "serving-cert"))
            .Throws<InvalidDataException>();

        await Assert.That(thrown!.Message).Contains(_certs.PathOf("other.key"));
        await AssertNoPemBodyAsync(thrown.Message, "good.crt", "other.key");
    }

    [Test]
    [Arguments("mismatched")]
    [Arguments("corrupted")]
    public async Task Reload_BadKey_WarningHasNoPemBody(string kind)
    {
        var cert = _certs.PathOf("serving.crt");
        var key = _certs.PathOf("serving.key");
        File.Copy(_certs.PathOf("good.crt"), cert);
        File.Copy(_certs.PathOf("good.key"), key);
        var time = new FakeTimeProvider();
        var logger = new CapturingLogger();
        using var reloader = ServingIdentity.Reloadable(cert, key, "serving certificate", "serving-cert");
        reloader.Start(time, TimeSpan.FromSeconds(5), logger);

        var otherKey = await File.ReadAllTextAsync(_certs.PathOf("other.key"));
        // A corrupted key keeps its PEM armour but loses bytes in the middle of its body.
        await File.WriteAllTextAsync(key, kind == "mismatched" ? otherKey : otherKey.Remove(otherKey.Length / 2, 12));
        time.Advance(TimeSpan.FromSeconds(5));

        await Assert.That(reloader.Current.Certificate.Thumbprint).IsEqualTo(ThumbprintOf("good.crt"));
        await Assert.That(logger.Lines.Count).IsEqualTo(1);
        await Assert.That(logger.Lines.First()).Contains("Keeping the current serving certificate");
        await AssertNoPemBodyAsync(logger.Lines.First(), "good.crt", "other.key");
    }

    public void Dispose() => _certs.Dispose();

    private string ThumbprintOf(string file)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(_certs.PathOf(file)));
        return certificate.Thumbprint;
    }

    private async Task AssertNoPemBodyAsync(string message, params string[] files)
    {
        await Assert.That(message).DoesNotContain("-----BEGIN");
        foreach (var file in files)
        {
            foreach (var line in await File.ReadAllLinesAsync(_certs.PathOf(file)))
            {
                // Any 16-character run of a base64 body line would be a leak.
                if (line.Length >= 16 && !line.StartsWith("-----", StringComparison.Ordinal))
                    await Assert.That(message).DoesNotContain(line[..16]);
            }
        }
    }
}
