using System.Net;

namespace TinyMetrics.Configuration;

/// <summary>
/// Parsed command line, with metrics-server's defaults. Property names follow the flag names.
/// Built by <see cref="FlagParser.Parse"/>; checked by <see cref="ServerOptionsValidator.Validate"/>.
/// </summary>
public sealed record ServerOptions
{
    // metrics-server cmd/metrics-server/app/options/options.go
    public string Kubeconfig { get; init; } = "";
    public TimeSpan MetricResolution { get; init; } = TimeSpan.FromSeconds(60);

    // metrics-server cmd/metrics-server/app/options/kubelet_client.go
    public int KubeletPort { get; init; } = 10250;
    public bool KubeletUseNodeStatusPort { get; init; }

    /// <summary><c>--kubelet-metrics-source</c>: <c>auto</c>, <c>resource</c> or <c>summary</c>.</summary>
    public string KubeletMetricsSource { get; init; } = "auto";
    public string[] KubeletPreferredAddressTypes { get; init; } =
        ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"];
    public bool KubeletInsecureTls { get; init; }
    public string KubeletCertificateAuthority { get; init; } = "";
    public string KubeletClientCertificate { get; init; } = "";
    public string KubeletClientKey { get; init; } = "";
    public TimeSpan KubeletRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public bool DeprecatedKubeletCompletelyInsecure { get; init; }

    /// <summary>Label selector limiting scraped and listed nodes; surrounding whitespace is already trimmed.</summary>
    public string NodeSelector { get; init; } = "";

    // TinyMetrics' HA replicas (no upstream counterpart)
    /// <summary>Service (NAME or NAMESPACE/NAME) whose EndpointSlices list the replicas; empty: one replica scraping every node.</summary>
    public string ReplicasFrom { get; init; } = "";

    /// <summary>This replica's pod IP as the slices list it; empty: $POD_IP.</summary>
    public string ReplicaAddress { get; init; } = "";
    public string PeerCaFile { get; init; } = "";
    public string PeerServerName { get; init; } = "";
    public string PeerTokenFile { get; init; } = "";

    // k8s.io/apiserver pkg/server/options/serving.go
    /// <summary>HTTPS port; 0 disables serving.</summary>
    public int SecurePort { get; init; } = 443;
    public IPAddress BindAddress { get; init; } = IPAddress.Any;
    public string CertDir { get; init; } = "apiserver.local.config/certificates";
    public string TlsCertFile { get; init; } = "";
    public string TlsPrivateKeyFile { get; init; } = "";

    /// <summary>Go name (VersionTLS10…VersionTLS13) or "" for the platform default.</summary>
    public string TlsMinVersion { get; init; } = "";

    /// <summary>Go/IANA cipher suite names; empty for the platform default.</summary>
    public string[] TlsCipherSuites { get; init; } = [];

    /// <summary>--tls-sni-cert-key, in flag order (earlier entries win a shared name).</summary>
    public NamedCertKey[] TlsSniCertKeys { get; init; } = [];
    public bool DisableHttp2Serving { get; init; }

    /// <summary>0 keeps the server's default.</summary>
    public int Http2MaxStreamsPerConnection { get; init; }

    // k8s.io/apiserver pkg/server/options/authentication.go
    public string AuthenticationKubeconfig { get; init; } = "";
    public bool AuthenticationSkipLookup { get; init; }
    public bool AuthenticationTolerateLookupFailure { get; init; }
    public TimeSpan AuthenticationTokenWebhookCacheTtl { get; init; } = TimeSpan.FromSeconds(10);
    public string ClientCaFile { get; init; } = "";
    public string RequestheaderClientCaFile { get; init; } = "";
    public string[] RequestheaderAllowedNames { get; init; } = [];
    public string[] RequestheaderUsernameHeaders { get; init; } = ["x-remote-user"];
    public string[] RequestheaderGroupHeaders { get; init; } = ["x-remote-group"];
    public string[] RequestheaderExtraHeadersPrefix { get; init; } = ["x-remote-extra-"];
    public string[] RequestheaderUidHeaders { get; init; } = [];

    // k8s.io/apiserver pkg/server/options/authorization.go
    public string AuthorizationKubeconfig { get; init; } = "";

    /// <summary>Paths served without authorization; setting the flag replaces the whole list.</summary>
    public string[] AuthorizationAlwaysAllowPaths { get; init; } = ["/healthz", "/readyz", "/livez"];
    public TimeSpan AuthorizationWebhookCacheAuthorizedTtl { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan AuthorizationWebhookCacheUnauthorizedTtl { get; init; } = TimeSpan.FromSeconds(10);

    // k8s.io/apiserver pkg/server/options/server_run_options.go
    /// <summary>Non-mutating (get, list) requests served at once; beyond it 429. 0 with the mutating limit also 0 turns the filter off.</summary>
    public int MaxRequestsInflight { get; init; } = 400;

    /// <summary>Mutating requests served at once (every verb but get, list and watch); beyond it 429.</summary>
    public int MaxMutatingRequestsInflight { get; init; } = 200;

    /// <summary>Longest a request is served (capped lower by its <c>?timeout=</c>); beyond it 504 Timeout. Also the bound on draining at shutdown.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long to keep serving after a termination signal before shutting down.</summary>
    public TimeSpan ShutdownDelayDuration { get; init; }

    // component-base logs: klog's -v and --logging-format
    /// <summary>klog verbosity from <c>-v</c>/<c>--v</c>.</summary>
    public int Verbosity { get; init; }

    /// <summary>"text" or "json".</summary>
    public string LoggingFormat { get; init; } = "text";

    /// <summary>One line per accepted-but-ignored flag, in the order first seen; the host logs them at startup.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
