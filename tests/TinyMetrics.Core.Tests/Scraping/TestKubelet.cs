using System.Net;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Discovery;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Scraping.Tests;

/// <summary>A fake kubelet: a loopback HTTPS server whose certificate (signed by the test CA) names its IP.</summary>
public sealed class TestKubelet : IAsyncDisposable
{
    public const string Body = """
        # HELP node_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the node in core-seconds
        # TYPE node_cpu_usage_seconds_total counter
        node_cpu_usage_seconds_total 1234.5 1700000000000
        # HELP node_memory_working_set_bytes [ALPHA] Current working set of the node in bytes
        # TYPE node_memory_working_set_bytes gauge
        node_memory_working_set_bytes 2.5e+08 1700000000000

        """;

    private readonly X509Certificate2 _certificate;

    /// <param name="certifiedAddress">the IP the certificate names; the listening address when null</param>
    public TestKubelet(TestCertificates certificates, string address, TestHandler? handler = null, string? certifiedAddress = null, bool askClientCertificate = false)
    {
        var ip = IPAddress.Parse(address);
        _certificate = certificates.IssueLeaf("kubelet-" + address, IPAddress.Parse(certifiedAddress ?? address));
        Server = new LoopbackHttpServer(ip, _certificate, handler ?? ServeBody, askClientCertificate);
    }

    public LoopbackHttpServer Server { get; }

    /// <summary>A Ready node whose InternalIP and status port point at this kubelet.</summary>
    public NodeInfo Node(string name, bool ready = true) =>
        new(name, LabelSet.Empty, [new NodeAddress("InternalIP", Server.Address.ToString())], Server.Port, null, ready);

    public static async Task<bool> ServeBody(TestRequest request, Stream stream, CancellationToken cancellationToken)
    {
        await TestResponses.WriteTextAsync(stream, 200, "OK", Body, cancellationToken);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _certificate.Dispose();
    }
}
