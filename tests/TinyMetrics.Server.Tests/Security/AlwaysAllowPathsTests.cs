namespace TinyMetrics.Security.Tests;

public sealed class AlwaysAllowPathsTests
{
    [Test]
    [Arguments("/healthz", true)]
    [Arguments("/livez", true)]
    [Arguments("/readyz", true)]
    [Arguments("/healthz/ping", false)]
    [Arguments("/metrics", false)]
    [Arguments("/healthzz", false)]
    public async Task Allows_DefaultList_ExactPathsOnly(string path, bool expected)
    {
        var paths = new AlwaysAllowPaths(["/healthz", "/readyz", "/livez"]);

        await Assert.That(paths.Allows(path)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("/metrics", true)]
    [Arguments("/debug/pprof/heap", true)]
    [Arguments("/debug", false)]
    [Arguments("/healthz", false)]
    public async Task Allows_TrailingStar_IsPrefix(string path, bool expected)
    {
        var paths = new AlwaysAllowPaths(["/metrics", "/debug/*"]);

        await Assert.That(paths.Allows(path)).IsEqualTo(expected);
    }
}
