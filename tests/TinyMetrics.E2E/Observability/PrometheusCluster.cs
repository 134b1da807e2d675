using System.Security.Cryptography.X509Certificates;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Observability;

/// <summary>
/// A small cluster on 127.93.0.0/16 with two tinymetrics: the cluster's own, whose /metrics needs a caller that
/// TokenReview and SubjectAccessReview accept, and a second one started with <c>--authorization-always-allow-paths=/metrics</c>
/// as metrics-server's chart passes it when <c>metrics.enabled</c>, whose /metrics an anonymous caller reads. Nothing
/// starts when the machine has no Prometheus, so the test that skips costs no cluster.
/// </summary>
public sealed class PrometheusCluster : LocalCluster
{
    public const int Nodes = 3;
    public const string TokenHost = "127.93.1.1";
    public const string AllowPathsHost = "127.93.1.2";
    public const string PrometheusHost = "127.93.2.1";

    private BoundedProcess? _allowPathsServer;

    protected override string FirstAddress => "127.93.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => 2;

    protected override IEnumerable<string> BindArgs => [$"--bind-address={TokenHost}"];

    protected override string ServerHost => TokenHost;

    /// <summary>The prometheus binary, or null when it is not installed (the test then skips, saying how to install it).</summary>
    public string? PrometheusBinary { get; } = PrometheusServer.Locate();

    public int AllowPathsPort { get; private set; }

    /// <summary>The CA that signed the serving certificate each tinymetrics generated in its --cert-dir.</summary>
    public string TokenServerCa => Path.Combine(Directory, "token-serving-ca.crt");

    public string AllowPathsServerCa => Path.Combine(Directory, "allow-paths-serving-ca.crt");

    public BoundedProcess AllowPathsServer => _allowPathsServer ?? throw new InvalidOperationException("not started");

    public override async Task InitializeAsync()
    {
        if (PrometheusBinary is null)
            return;
        await base.InitializeAsync();
        AllowPathsPort = FreePort.Next();
        _allowPathsServer = BoundedProcess.Start(Artifacts.ServerBinary, [
            $"--kubeconfig={Path.Combine(Directory, "tinymetrics.kubeconfig")}", $"--bind-address={AllowPathsHost}", $"--secure-port={AllowPathsPort}",
            $"--cert-dir={Path.Combine(Directory, "certs-allow-paths")}", "--metric-resolution=10s", "--kubelet-request-timeout=5s",
            "--kubelet-preferred-address-types=InternalIP", "--authorization-always-allow-paths=/metrics", "--v=2"]);
        await _allowPathsServer.WaitForLineAsync(line => line.Contains("Serving securely", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        WriteIssuer(Path.Combine(Directory, "certs", "apiserver.crt"), TokenServerCa);
        WriteIssuer(Path.Combine(Directory, "certs-allow-paths", "apiserver.crt"), AllowPathsServerCa);
    }

    // The generated apiserver.crt holds the leaf, then the CA that signed it: Prometheus is given the CA alone, so
    // the leaf is verified by its chain, as a scraper given the APIService's caBundle would.
    private static void WriteIssuer(string chainFile, string caFile)
    {
        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(chainFile);
        try
        {
            var ca = chain.FirstOrDefault(c => c.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
                ?? throw new InvalidDataException($"{chainFile} holds no CA certificate");
            File.WriteAllText(caFile, ca.ExportCertificatePem() + "\n");
        }
        finally
        {
            foreach (var certificate in chain)
                certificate.Dispose();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_allowPathsServer is not null)
            await _allowPathsServer.DisposeAsync();
        await base.DisposeAsync();
    }
}
