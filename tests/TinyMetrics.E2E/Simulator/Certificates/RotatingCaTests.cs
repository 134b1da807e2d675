using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Certificates.Tests;

public class RotatingCaTests
{
    [Test]
    public async Task Steps_InOrder_TrustAndSignerMoveToTheNewCa()
    {
        using var old = CertificateFactory.CreateCa("old-ca", DateTimeOffset.UtcNow);
        using var next = CertificateFactory.CreateCa("new-ca", DateTimeOffset.UtcNow);
        var ca = new RotatingCa(old);

        ca.Add(next);
        var addedTrust = Pem.Subjects(ca.TrustPem);
        var addedSigner = ca.Signer.Subject;
        ca.Switch();
        var switchedSigner = ca.Signer.Subject;
        ca.Drop();

        await Assert.That(addedTrust).IsEqualTo("CN=new-ca, CN=old-ca");
        await Assert.That(addedSigner).IsEqualTo("CN=old-ca");
        await Assert.That(switchedSigner).IsEqualTo("CN=new-ca");
        await Assert.That(Pem.Subjects(ca.TrustPem)).IsEqualTo("CN=new-ca");
        await Assert.That(ca.Incoming).IsNull();
        await Assert.That(ca.Refusal(RotationPhase.Add)).IsNull();
    }

    [Test]
    [Arguments(RotationPhase.Switch, "cannot switch: the rotation is idle, switch needs it added")]
    [Arguments(RotationPhase.Drop, "cannot drop: the rotation is idle, drop needs it switched")]
    public async Task Refusal_WhenIdle_NamesTheMissingStep(RotationPhase phase, string expected)
    {
        using var old = CertificateFactory.CreateCa("old-ca", DateTimeOffset.UtcNow);
        var ca = new RotatingCa(old);

        await Assert.That(ca.Refusal(phase)).IsEqualTo(expected);
        await Assert.That(() => ca.Drop()).Throws<InvalidOperationException>();
    }

    [Test]
    [Arguments("add", true)]
    [Arguments("switch", true)]
    [Arguments("drop", true)]
    [Arguments("Add", false)]
    [Arguments("", false)]
    [Arguments(null, false)]
    public async Task TryParse_PhaseNames_OnlyLowercaseNamesParse(string? text, bool expected)
    {
        await Assert.That(RotatingCa.TryParse(text, out _)).IsEqualTo(expected);
    }
}
