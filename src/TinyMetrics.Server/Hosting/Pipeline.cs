using TinyMetrics.Configuration;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Kube;
using TinyMetrics.Scraping;
using TinyMetrics.Selectors;
using TinyMetrics.Serving;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Hosting;

/// <summary>Every long-lived part, built once from the options: discover → scrape → parse → store → serve.</summary>
internal sealed class Pipeline : IDisposable
{
    private readonly KubeApiClient _api;
    private readonly KubeletClient _kubelets;
    private readonly DiscoveryService _discovery;
    private readonly ScrapeCycle _loop;

    private Pipeline(KubeApiClient api, KubeletClient kubelets, DiscoveryService discovery, ScrapeCycle loop, HealthState health, ApiRouter router)
    {
        _api = api;
        _kubelets = kubelets;
        _discovery = discovery;
        _loop = loop;
        Health = health;
        Router = router;
    }

    public HealthState Health { get; }

    public ApiRouter Router { get; }

    /// <param name="fileCheckInterval">How often the kubelet CA and client certificate files are re-read.</param>
    public static Pipeline Create(ServerOptions options, LabelSelector nodeSelector, TimeProvider time, TimeSpan fileCheckInterval, ILoggerFactory loggers)
    {
        var connection = KubeConnection.Load(string.IsNullOrEmpty(options.Kubeconfig) ? null : options.Kubeconfig, time);
        var api = new KubeApiClient(connection);
        var discovery = new DiscoveryService(api, new DiscoveryOptions(), time, loggers.CreateLogger("Discovery"));

        var kubeletOptions = new KubeletClientOptions
        {
            CaFile = NullIfEmpty(options.KubeletCertificateAuthority),
            InsecureTls = options.KubeletInsecureTls,
            ClientCertificateFile = NullIfEmpty(options.KubeletClientCertificate),
            ClientKeyFile = NullIfEmpty(options.KubeletClientKey),
            CompletelyInsecure = options.DeprecatedKubeletCompletelyInsecure,
            // Connections must outlive the gap between two cycles, or every scrape pays a new handshake.
            IdleConnectionTimeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, options.MetricResolution.Ticks * 3)),
        };
        var credentials = KubeletCredentials.From(connection, kubeletOptions);
        credentials.StartReloading(time, fileCheckInterval, loggers.CreateLogger("Kubelet"));
        var kubelets = new KubeletClient(credentials, kubeletOptions);
        var scraper = new Scraper(kubelets, new ScrapeOptions
        {
            KubeletPort = options.KubeletPort,
            UseNodeStatusPort = options.KubeletUseNodeStatusPort,
            PreferredAddressTypes = [.. options.KubeletPreferredAddressTypes],
            PlainHttp = options.DeprecatedKubeletCompletelyInsecure,
            RequestTimeout = options.KubeletRequestTimeout,
        }, time, loggers.CreateLogger("Scraper"));

        var published = new SnapshotCell();
        var health = new HealthState(published, discovery, time, options.MetricResolution);
        var selfMetrics = new SelfMetrics(options.MetricResolution, time);
        var router = new ApiRouter(new MetricsEndpoints(published, discovery, nodeSelector, selfMetrics, time), new HealthEndpoints(health), selfMetrics);
        var loop = new ScrapeCycle(discovery, scraper, new MetricsStore(options.MetricResolution), published, health,
            nodeSelector, options.MetricResolution, time, loggers.CreateLogger("ScrapeCycle"), selfMetrics.RecordCycle);
        return new Pipeline(api, kubelets, discovery, loop, health, router);
    }

    public Task StartAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_discovery.RunAsync(stoppingToken), _loop.RunAsync(stoppingToken));

    public void Dispose()
    {
        _kubelets.Dispose();
        _api.Dispose();
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
