namespace TinyMetrics.Serving.Tests;

public class HealthEndpointsTests
{
    private static HealthCheck[] Checks(string? storageError) =>
    [
        new("ping", static () => null),
        new("metric-storage-ready", () => storageError),
        new("shutdown", static () => null),
    ];

    [Test]
    public async Task Evaluate_AllPassNotVerbose_ReturnsOk()
    {
        var (code, body) = HealthEndpoints.Evaluate("readyz", Checks(null), verbose: false, []);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(body).IsEqualTo("ok");
    }

    [Test]
    public async Task Evaluate_AllPassVerbose_ListsChecksAndPassedLine()
    {
        var (code, body) = HealthEndpoints.Evaluate("readyz", Checks(null), verbose: true, []);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(body).IsEqualTo("[+]ping ok\n[+]metric-storage-ready ok\n[+]shutdown ok\nreadyz check passed\n");
    }

    [Test]
    public async Task Evaluate_OneFails_Returns500WithReasonWithheld()
    {
        var (code, body) = HealthEndpoints.Evaluate("readyz", Checks("no metrics to serve"), verbose: false, []);

        await Assert.That(code).IsEqualTo(500);
        await Assert.That(body).IsEqualTo("[+]ping ok\n[-]metric-storage-ready failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n");
    }

    [Test]
    public async Task Evaluate_ExcludedFailingCheck_PassesAndWarnsAboutUnknown()
    {
        var (code, body) = HealthEndpoints.Evaluate("readyz", Checks("no metrics to serve"), verbose: true, ["metric-storage-ready", "nope"]);

        await Assert.That(code).IsEqualTo(200);
        await Assert.That(body).IsEqualTo(
            "[+]ping ok\n[+]metric-storage-ready excluded: ok\n[+]shutdown ok\nwarn: some health checks cannot be excluded: no matches for \"nope\"\nreadyz check passed\n");
    }
}
