using TinyMetrics.Discovery;

namespace TinyMetrics.Scraping.Tests;

public class NodeTargetResolverTests
{
    private static NodeInfo Node(int statusPort = 0, string? path = null, params NodeAddress[] addresses) =>
        new("node-1", LabelSet.Empty, addresses, statusPort, path, true);

    private static readonly NodeAddress[] Mixed =
    [
        new("Hostname", "node-1.example"),
        new("InternalIP", "10.0.0.5"),
        new("InternalIP", "10.0.0.6"),
        new("ExternalIP", "203.0.113.7"),
        new("InternalIP", "fd00::5"),
    ];

    [Test]
    [Arguments("InternalIP,ExternalIP,Hostname", "https://10.0.0.5:10250/metrics/resource")]
    [Arguments("ExternalIP,InternalIP", "https://203.0.113.7:10250/metrics/resource")]
    [Arguments("Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP", "https://node-1.example:10250/metrics/resource")]
    [Arguments("InternalDNS,InternalIP", "https://10.0.0.5:10250/metrics/resource")]
    public async Task TryResolve_PreferredTypes_TakesFirstAddressOfFirstMatchingType(string types, string expected)
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = types.Split(',') });

        await Assert.That(resolver.TryResolve(Node(0, null, Mixed), out var url, out _)).IsTrue();
        await Assert.That(url!.ToString()).IsEqualTo(expected);
    }

    [Test]
    public async Task TryResolve_NoMatchingType_ReturnsUpstreamError()
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = ["InternalIP", "ExternalIP", "Hostname"] });

        await Assert.That(resolver.TryResolve(Node(0, null, new NodeAddress("InternalDNS", "n1.internal")), out _, out var error)).IsFalse();
        await Assert.That(error).IsEqualTo("no address matched types [InternalIP ExternalIP Hostname]");
    }

    [Test]
    public async Task TryResolve_Ipv6Address_IsBracketed()
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = ["InternalIP"] });

        resolver.TryResolve(Node(0, null, new NodeAddress("InternalIP", "fd00::5")), out var url, out _);

        await Assert.That(url!.ToString()).IsEqualTo("https://[fd00::5]:10250/metrics/resource");
    }

    [Test]
    [Arguments(false, 0, 10250)]
    [Arguments(false, 11250, 10250)]
    [Arguments(true, 0, 10250)]
    [Arguments(true, 11250, 11250)]
    public async Task TryResolve_NodeStatusPort_UsedOnlyWhenEnabledAndNonZero(bool useStatusPort, int statusPort, int expectedPort)
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = ["InternalIP"], UseNodeStatusPort = useStatusPort });

        resolver.TryResolve(Node(statusPort, null, Mixed), out var url, out _);

        await Assert.That(url!.Port).IsEqualTo(expectedPort);
    }

    [Test]
    [Arguments(null, "/metrics/resource")]
    [Arguments("", "/metrics/resource")]
    [Arguments("/metrics/resource/v2alpha1", "/metrics/resource/v2alpha1")]
    [Arguments("custom/path", "/custom/path")]
    public async Task TryResolve_PathAnnotation_OverridesDefaultPath(string? annotation, string expectedPath)
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = ["InternalIP"], KubeletPort = 4443 });

        resolver.TryResolve(Node(0, annotation, Mixed), out var url, out _);

        await Assert.That(url!.AbsolutePath).IsEqualTo(expectedPath);
        await Assert.That(url.Port).IsEqualTo(4443);
    }

    [Test]
    public async Task TryResolve_CompletelyInsecure_UsesHttp()
    {
        var resolver = new NodeTargetResolver(new ScrapeOptions { PreferredAddressTypes = ["InternalIP"], PlainHttp = true });

        resolver.TryResolve(Node(0, null, Mixed), out var url, out _);

        await Assert.That(url!.ToString()).IsEqualTo("http://10.0.0.5:10250/metrics/resource");
    }
}
