using TinyMetrics.Configuration;
using TinyMetrics.Kube;
using TinyMetrics.Replicas;
using TinyMetrics.Scraping;

namespace TinyMetrics.Hosting;

/// <summary>
/// HA mode (<c>--replicas-from</c>): the membership watch, the peer client and the sharding scraper around the
/// plain one. Without the flag every part is absent and the plain scraper runs alone, as a single metrics-server.
/// </summary>
internal sealed class ReplicaSetup : IDisposable
{
    private const string NamespaceFile = KubeConnection.ServiceAccountDir + "/namespace";

    private readonly PeerShareClient? _client;
    private readonly EndpointSliceMembership? _membership;

    private ReplicaSetup(INodeScraper scraper, PeerShareClient? client, EndpointSliceMembership? membership, PeerShare? share, ReplicaMetrics? metrics)
    {
        Scraper = scraper;
        _client = client;
        _membership = membership;
        Share = share;
        Metrics = metrics;
    }

    /// <summary>What the scrape cycle calls: the sharding scraper in HA mode, else the plain one.</summary>
    public INodeScraper Scraper { get; }

    /// <summary>What <see cref="PeerShare.Path"/> answers; null without HA mode (the path is then not found).</summary>
    public PeerShare? Share { get; }

    public ReplicaMetrics? Metrics { get; }

    public static ReplicaSetup Create(ServerOptions options, KubeConnection connection, KubeApiClient api, INodeScraper scraper,
        TimeProvider time, ILoggerFactory loggers)
    {
        if (options.ReplicasFrom.Length == 0)
            return new ReplicaSetup(scraper, null, null, null, null);
        var (ns, service) = ServiceOf(options.ReplicasFrom);
        var self = options.ReplicaAddress.Length > 0 ? options.ReplicaAddress : Environment.GetEnvironmentVariable("POD_IP");
        var logger = loggers.CreateLogger("Replicas");
        var membership = new EndpointSliceMembership(api, ns, service, string.IsNullOrEmpty(self) ? null : self, time, logger);
        var ca = options.PeerCaFile.Length > 0 ? CertificateBundle.Parse(File.ReadAllBytes(options.PeerCaFile)) : connection.Tls.CaCertificates;
        var tls = new TlsSettings(ca, null, SkipVerify: false, options.PeerServerName.Length > 0 ? options.PeerServerName : null);
        var token = options.PeerTokenFile.Length > 0 ? new FileTokenSource(options.PeerTokenFile, time) : connection.Token;
        var client = new PeerShareClient(tls, token, options.MetricResolution / 4);
        var share = new PeerShare();
        var metrics = new ReplicaMetrics();
        var sharded = new ShardedScraper(scraper, membership, client, share, metrics, options.MetricResolution, time, logger);
        return new ReplicaSetup(sharded, client, membership, share, metrics);
    }

    /// <summary>The membership watch, until cancelled; nothing without HA mode.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _membership?.RunAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _client?.Dispose();

    // NAME is in this pod's namespace: the downward API's POD_NAMESPACE, else the service account's namespace file.
    private static (string Namespace, string Service) ServiceOf(string flag)
    {
        var slash = flag.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
            return (flag[..slash], flag[(slash + 1)..]);
        var ns = Environment.GetEnvironmentVariable("POD_NAMESPACE");
        if (string.IsNullOrEmpty(ns) && File.Exists(NamespaceFile))
            ns = File.ReadAllText(NamespaceFile).Trim();
        return (string.IsNullOrEmpty(ns) ? "kube-system" : ns, flag);
    }
}
