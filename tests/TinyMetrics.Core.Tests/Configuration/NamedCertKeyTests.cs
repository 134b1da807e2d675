namespace TinyMetrics.Configuration.Tests;

/// <summary>--tls-sni-cert-key as pflag's NamedCertKeyArray reads it.</summary>
public class NamedCertKeyTests
{
    [Test]
    public async Task Parse_RepeatedFlag_KeepsEveryPairInOrderWithoutSplittingOnCommas()
    {
        var parsed = FlagParser.Parse(["--tls-sni-cert-key=a.crt,a.key", "--tls-sni-cert-key", "b.crt, b.key : *.b.test , b.test"]);
        var options = parsed.Options!;

        await Assert.That(parsed.Kind).IsEqualTo(FlagParseKind.Run);
        await Assert.That(options.TlsSniCertKeys.Length).IsEqualTo(2);
        await Assert.That(options.TlsSniCertKeys[0].CertFile).IsEqualTo("a.crt");
        await Assert.That(options.TlsSniCertKeys[0].KeyFile).IsEqualTo("a.key");
        await Assert.That(options.TlsSniCertKeys[0].Names).IsEmpty();
        await Assert.That(options.TlsSniCertKeys[1].CertFile).IsEqualTo("b.crt");
        await Assert.That(options.TlsSniCertKeys[1].KeyFile).IsEqualTo("b.key");
        await Assert.That(options.TlsSniCertKeys[1].Names).IsEquivalentTo(["*.b.test", "b.test"]);
        await Assert.That(options.Warnings).IsEmpty();
    }

    [Test]
    [Arguments("a.crt", "expected comma separated certificate and key file paths")]
    [Arguments("a.crt,a.key,extra", "expected comma separated certificate and key file paths")]
    [Arguments("a.crt,a.key:", "empty names list is not allowed")]
    [Arguments("a.crt,a.key:  ", "empty names list is not allowed")]
    public async Task TryParse_Malformed_FailsWithUpstreamText(string value, string expected)
    {
        var ok = NamedCertKey.TryParse(value, out var result, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(result).IsNull();
        await Assert.That(error).IsEqualTo(expected);
    }

    [Test]
    public async Task Parse_MalformedFlag_IsAnInvalidArgument()
    {
        var result = FlagParser.Parse(["--tls-sni-cert-key=only-a-cert.crt"]);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Error);
        await Assert.That(result.Text).Contains("invalid argument \"only-a-cert.crt\" for \"--tls-sni-cert-key\" flag: expected comma separated certificate and key file paths");
    }
}
