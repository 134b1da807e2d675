using TinyMetrics.Configuration;

namespace TinyMetrics.Scraping;

/// <summary>
/// How nodes are addressed and scraped. Flag-backed values default to <see cref="ServerOptions"/>'
/// defaults, so metrics-server's defaults are written once; the rest is tuning that no flag sets.
/// </summary>
public sealed record ScrapeOptions
{
    private static readonly ServerOptions Defaults = new();

    /// <summary><c>--kubelet-port</c>.</summary>
    public int KubeletPort { get; init; } = Defaults.KubeletPort;

    /// <summary><c>--kubelet-use-node-status-port</c>: prefer a non-zero daemon endpoint port.</summary>
    public bool UseNodeStatusPort { get; init; } = Defaults.KubeletUseNodeStatusPort;

    /// <summary><c>--kubelet-preferred-address-types</c>, in order.</summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = Defaults.KubeletPreferredAddressTypes;

    /// <summary><c>--deprecated-kubelet-completely-insecure</c>: plain http.</summary>
    public bool PlainHttp { get; init; } = Defaults.DeprecatedKubeletCompletelyInsecure;

    /// <summary><c>--kubelet-request-timeout</c>: every node's deadline, counted from the cycle's start.</summary>
    public TimeSpan RequestTimeout { get; init; } = Defaults.KubeletRequestTimeout;

    /// <summary><c>--kubelet-metrics-source</c>: which kubelet endpoint is scraped.</summary>
    public KubeletMetricsSource Source { get; init; } = KubeletMetricsSource.Auto;

    /// <summary>With <see cref="KubeletMetricsSource.Auto"/>, a node scraped through the Summary API tries /metrics/resource again every this many cycles.</summary>
    public int ResourceRetryCycles { get; init; } = 10;

    /// <summary>A larger body fails the node with "response body too large".</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Start spread per node and its cap: starts are spread over min(n × per node, max), as upstream's scraper.go.</summary>
    public TimeSpan JitterPerNode { get; init; } = TimeSpan.FromMilliseconds(8);

    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The window node starts are spread over: min(n × per node, max), and at most half the timeout, so
    /// the last node to start still has half of the shared deadline to answer in.
    /// </summary>
    public double StartSpreadMs(int nodes) =>
        Math.Min(Math.Min(JitterPerNode.TotalMilliseconds * nodes, MaxJitter.TotalMilliseconds), RequestTimeout.TotalMilliseconds / 2);

    /// <summary>
    /// The window that nodes whose last scrape failed start over, after <see cref="StartSpreadMs"/>: as wide, but at
    /// most a quarter of the timeout, so a node that has recovered still has a quarter of the deadline to answer in.
    /// </summary>
    public double DeferredStartSpreadMs(int nodes) => Math.Min(StartSpreadMs(nodes), RequestTimeout.TotalMilliseconds / 4);

    /// <summary>
    /// At most this many scrapes over a new connection are admitted at once: each holds its place until its TLS handshake is done
    /// (or its fetch ends), <see cref="NewConnectionHold"/> at most. A node whose last request got an answer reuses its kept-alive
    /// connection and is never held back.
    /// </summary>
    /// <remarks>
    /// A TLS handshake costs both ends several times a fetch on a kept-alive connection. When thousands of nodes are new at once
    /// (start-up, a relist, the end of an outage) and all handshake together, a small machine times every one of them out at
    /// the shared deadline, and the next cycle begins from nothing again: the scraper never converges. Admitted in order, each
    /// handshake finishes in milliseconds and its node is warm from then on. 32 per core, at least 64, keeps the cores busy
    /// with handshakes while covering a round trip of tens of milliseconds to remote kubelets.
    /// </remarks>
    public int MaxNewConnections { get; init; } = Math.Max(64, 32 * Environment.ProcessorCount);

    /// <summary>
    /// The longest a scrape over a new connection holds its place among <see cref="MaxNewConnections"/> before the next is admitted beside
    /// it. A kubelet that completes the handshake and then hangs gives its place back with the handshake; one that never completes it
    /// (black-holed, or hung before TLS) consumes no CPU, so it must not keep healthy new nodes waiting until the deadline: admission goes
    /// on at MaxNewConnections per hold (128 a second at the least) however many kubelets hang.
    /// </summary>
    public TimeSpan NewConnectionHold { get; init; } = TimeSpan.FromMilliseconds(500);

    public static ScrapeOptions From(ServerOptions options) => new()
    {
        KubeletPort = options.KubeletPort,
        UseNodeStatusPort = options.KubeletUseNodeStatusPort,
        PreferredAddressTypes = [.. options.KubeletPreferredAddressTypes],
        PlainHttp = options.DeprecatedKubeletCompletelyInsecure,
        RequestTimeout = options.KubeletRequestTimeout,
        Source = KubeletMetricsSources.Parse(options.KubeletMetricsSource),
    };
}

/// <summary>How the kubelet connections are made: the TLS and credential flags (files are PEM) and connection lifetimes.</summary>
public sealed record KubeletClientOptions
{
    /// <summary><c>--kubelet-certificate-authority</c>: replaces the cluster CA for kubelets.</summary>
    public string? CaFile { get; init; }

    /// <summary><c>--kubelet-insecure-tls</c>: do not verify the kubelet's serving certificate.</summary>
    public bool InsecureTls { get; init; }

    /// <summary><c>--kubelet-client-certificate</c> and <c>--kubelet-client-key</c> (both or neither).</summary>
    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary><c>--deprecated-kubelet-completely-insecure</c>: http, no credentials.</summary>
    public bool CompletelyInsecure { get; init; }

    /// <summary>Idle kept-alive connections live this long; keep it above the resolution so they survive between cycles.</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>TCP connect deadline (the request timeout still bounds the whole request).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static KubeletClientOptions From(ServerOptions options) => new()
    {
        CaFile = NullIfEmpty(options.KubeletCertificateAuthority),
        InsecureTls = options.KubeletInsecureTls,
        ClientCertificateFile = NullIfEmpty(options.KubeletClientCertificate),
        ClientKeyFile = NullIfEmpty(options.KubeletClientKey),
        CompletelyInsecure = options.DeprecatedKubeletCompletelyInsecure,
        // Connections must outlive the gap between two cycles, or every scrape pays a new handshake.
        IdleConnectionTimeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, options.MetricResolution.Ticks * 3)),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
