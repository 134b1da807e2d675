namespace TinyMetrics.Configuration;

// A titled group of flags, printed together in --help as metrics-server's named flag sets are.
internal sealed record FlagSection(string Title, Flag[] Flags);

// Every flag metrics-server accepts, in its --help sections: its own (cmd/metrics-server/app/options/options.go,
// kubelet_client.go), then those of the k8s.io/apiserver and component-base option sets it embeds. The ones
// TinyMetrics implements are here; the ones it only accepts are in the compatibility table.
internal static partial class FlagTable
{
    public static readonly FlagSection[] Sections =
    [
        new("Metrics server flags", MetricsServer()),
        new("Kubelet client flags", KubeletClient()),
        new("High availability flags", HighAvailability()),
        new("Apiserver secure serving flags", [.. SecureServing(), .. IgnoredSecureServing()]),
        new("Apiserver authentication flags", Authentication()),
        new("Apiserver authorization flags", Authorization()),
        new("Apiserver audit log flags", IgnoredAudit()),
        new("Features flags", IgnoredFeatures()),
        new("Generic flags", [.. Generic(), .. IgnoredGeneric()]),
        new("Logging flags", [.. Logging(), .. IgnoredLogging()]),
    ];

    private static readonly Dictionary<string, Flag> ByName = IndexByName();

    public static Flag? Find(string name) => ByName.GetValueOrDefault(name);

    public static Flag? FindShorthand(char shorthand)
    {
        foreach (var section in Sections)
        {
            foreach (var flag in section.Flags)
            {
                if (flag.Shorthand == shorthand)
                    return flag;
            }
        }
        return null;
    }

    private static Dictionary<string, Flag> IndexByName()
    {
        var index = new Dictionary<string, Flag>(StringComparer.Ordinal);
        foreach (var section in Sections)
        {
            foreach (var flag in section.Flags)
                index.Add(flag.Name, flag);
        }
        return index;
    }

    // metrics-server cmd/metrics-server/app/options/options.go.
    private static Flag[] MetricsServer() =>
    [
        Flag.String("kubeconfig", "Path to the kubeconfig for the Kubernetes API server and the kubelets (defaults to in-cluster config).",
            static (o, v) => o with { Kubeconfig = v }),
        Flag.Duration("metric-resolution", "Interval between scrapes, which is also how long points are kept; at least 10s.",
            static (o, v) => o with { MetricResolution = v }, TimeSpan.FromSeconds(60)),
        Flag.Special("version", '\0', "Show version and exit.", FlagAction.Version),
        Flag.Special("help", 'h', "Show this help and exit.", FlagAction.Help),
    ];

    // metrics-server cmd/metrics-server/app/options/kubelet_client.go.
    private static Flag[] KubeletClient() =>
    [
        Flag.Bool("deprecated-kubelet-completely-insecure",
            "DEPRECATED: talk plain HTTP to kubelets, without credentials or TLS. Prefer --kubelet-insecure-tls.",
            static (o, v) => o with { DeprecatedKubeletCompletelyInsecure = v }),
        Flag.String("kubelet-certificate-authority", "Path to the CA bundle that verifies kubelet serving certificates.",
            static (o, v) => o with { KubeletCertificateAuthority = v }),
        Flag.String("kubelet-client-certificate", "Path to the client certificate presented to kubelets.",
            static (o, v) => o with { KubeletClientCertificate = v }),
        Flag.String("kubelet-client-key", "Path to the key of the client certificate presented to kubelets.",
            static (o, v) => o with { KubeletClientKey = v }),
        Flag.Bool("kubelet-insecure-tls", "Skip verification of kubelet serving certificates. For testing only.",
            static (o, v) => o with { KubeletInsecureTls = v }),
        Flag.String("kubelet-metrics-source", "Kubelet endpoint to scrape: \"resource\" (/metrics/resource), \"summary\" (the Summary API, /stats/summary, as metrics-server 0.5) or \"auto\" (/metrics/resource, and the Summary API for a kubelet that answers 404 there).",
            static (o, v) => o with { KubeletMetricsSource = v }, "auto"),
        Flag.Int("kubelet-port", "Port used to reach kubelets.",
            static (o, v) => o with { KubeletPort = v }, 10250),
        Flag.Strings("kubelet-preferred-address-types", "Node address types to try, in order, when reaching a kubelet.",
            static (o, v) => o with { KubeletPreferredAddressTypes = v },
            ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"]),
        Flag.Duration("kubelet-request-timeout", "Deadline for one scrape of one kubelet; must be positive.",
            static (o, v) => o with { KubeletRequestTimeout = v }, TimeSpan.FromSeconds(10)),
        Flag.Bool("kubelet-use-node-status-port", "Use the kubelet port from the node status; overrides --kubelet-port.",
            static (o, v) => o with { KubeletUseNodeStatusPort = v }),
        Flag.String("node-selector", "Label selector limiting the nodes scraped and served ('=', '==', '!='; e.g. -l key1=value1,key2=value2).",
            static (o, v) => o with { NodeSelector = v.Trim() }, shorthand: 'l'),
    ];

    // TinyMetrics' own: replicas that split the nodes and share their scrapes (upstream has no such flags).
    private static Flag[] HighAvailability() =>
    [
        Flag.String("peer-ca-file", "CA bundle that verifies peer replicas' serving certificates (default: the Kubernetes API server's CA).",
            static (o, v) => o with { PeerCaFile = v }),
        Flag.String("peer-server-name", "Name a peer's serving certificate must hold, e.g. the Service's DNS name (default: the peer's address).",
            static (o, v) => o with { PeerServerName = v }),
        Flag.String("peer-token-file", "Bearer token presented to peers (default: the kubeconfig's token, in cluster the service account's).",
            static (o, v) => o with { PeerTokenFile = v }),
        Flag.String("replica-address", "This replica's address as its Service's EndpointSlices list it (default: $POD_IP).",
            static (o, v) => o with { ReplicaAddress = v.Trim() }),
        Flag.String("replicas-from", "Service (NAME in this pod's namespace, or NAMESPACE/NAME) whose ready endpoints are this server's replicas: each scrapes its rendezvous share of the nodes and fetches the others' from its peers. Empty: scrape every node.",
            static (o, v) => o with { ReplicasFrom = v.Trim() }),
    ];

    // k8s.io/apiserver pkg/server/options/serving.go.
    private static Flag[] SecureServing() =>
    [
        Flag.Ip("bind-address", "The IP address on which to listen for the --secure-port port. If blank or an unspecified address (0.0.0.0 or ::), all interfaces and IP address families will be used.",
            static (o, v) => o with { BindAddress = v }, "0.0.0.0"),
        Flag.String("cert-dir", "Directory holding the serving certificate; ignored when --tls-cert-file and --tls-private-key-file are set.",
            static (o, v) => o with { CertDir = v }, "apiserver.local.config/certificates"),
        Flag.Bool("disable-http2-serving", "Serve HTTP/1.1 only.",
            static (o, v) => o with { DisableHttp2Serving = v }),
        Flag.Int("http2-max-streams-per-connection", "Most concurrent HTTP/2 streams per client connection; 0 keeps the server default.",
            static (o, v) => o with { Http2MaxStreamsPerConnection = v }),
        Flag.Int("secure-port", "Port to serve HTTPS on; 0 disables HTTPS.",
            static (o, v) => o with { SecurePort = v }, 443),
        Flag.String("tls-cert-file", "Serving certificate file (intermediates appended); without it a self-signed pair is made in --cert-dir.",
            static (o, v) => o with { TlsCertFile = v }),
        Flag.Strings("tls-cipher-suites", "Comma-separated cipher suites (Go names); the platform defaults when omitted.",
            static (o, v) => o with { TlsCipherSuites = v }, []),
        Flag.String("tls-min-version", "Minimum TLS version: VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13.",
            static (o, v) => o with { TlsMinVersion = v }),
        Flag.String("tls-private-key-file", "Private key matching --tls-cert-file.",
            static (o, v) => o with { TlsPrivateKeyFile = v }),
        Flag.NamedCertKeys("tls-sni-cert-key", "A certificate and key chosen by SNI: \"cert,key\" (names from the certificate) or \"cert,key:*.example.com,example.com\"; repeatable.",
            static (o, v) => o with { TlsSniCertKeys = [.. o.TlsSniCertKeys, v] }),
    ];

    // k8s.io/apiserver pkg/server/options/authentication.go (the delegating, request-header and client-cert options).
    private static Flag[] Authentication() =>
    [
        Flag.String("authentication-kubeconfig", "Kubeconfig for the API server that answers TokenReviews (default: in-cluster).",
            static (o, v) => o with { AuthenticationKubeconfig = v }),
        Flag.Bool("authentication-skip-lookup", "Do not read missing authentication settings from the extension-apiserver-authentication ConfigMap.",
            static (o, v) => o with { AuthenticationSkipLookup = v }),
        Flag.Duration("authentication-token-webhook-cache-ttl", "How long TokenReview answers are cached.",
            static (o, v) => o with { AuthenticationTokenWebhookCacheTtl = v }, TimeSpan.FromSeconds(10)),
        Flag.Bool("authentication-tolerate-lookup-failure", "Start even if the authentication ConfigMap cannot be read (requests may then be anonymous).",
            static (o, v) => o with { AuthenticationTolerateLookupFailure = v }),
        Flag.String("client-ca-file", "CA bundle for client certificates; the certificate's CommonName becomes the user.",
            static (o, v) => o with { ClientCaFile = v }),
        Flag.Strings("requestheader-allowed-names", "Client certificate CommonNames allowed to send user headers; empty allows any signed by the request-header CA.",
            static (o, v) => o with { RequestheaderAllowedNames = v }, []),
        Flag.String("requestheader-client-ca-file", "CA bundle that must sign a front proxy's certificate before its user headers are trusted.",
            static (o, v) => o with { RequestheaderClientCaFile = v }),
        Flag.Strings("requestheader-extra-headers-prefix", "Header prefixes carrying the user's extra attributes.",
            static (o, v) => o with { RequestheaderExtraHeadersPrefix = v }, ["x-remote-extra-"]),
        Flag.Strings("requestheader-group-headers", "Headers carrying the user's groups.",
            static (o, v) => o with { RequestheaderGroupHeaders = v }, ["x-remote-group"]),
        Flag.Strings("requestheader-uid-headers", "Headers carrying the user's UID.",
            static (o, v) => o with { RequestheaderUidHeaders = v }, []),
        Flag.Strings("requestheader-username-headers", "Headers carrying the user name.",
            static (o, v) => o with { RequestheaderUsernameHeaders = v }, ["x-remote-user"]),
    ];

    // k8s.io/apiserver pkg/server/options/authorization.go (the delegating options).
    private static Flag[] Authorization() =>
    [
        Flag.Strings("authorization-always-allow-paths", "HTTP paths served without a SubjectAccessReview.",
            static (o, v) => o with { AuthorizationAlwaysAllowPaths = v }, ["/healthz", "/readyz", "/livez"]),
        Flag.String("authorization-kubeconfig", "Kubeconfig for the API server that answers SubjectAccessReviews (default: in-cluster).",
            static (o, v) => o with { AuthorizationKubeconfig = v }),
        Flag.Duration("authorization-webhook-cache-authorized-ttl", "How long 'allowed' SubjectAccessReview answers are cached.",
            static (o, v) => o with { AuthorizationWebhookCacheAuthorizedTtl = v }, TimeSpan.FromSeconds(10)),
        Flag.Duration("authorization-webhook-cache-unauthorized-ttl", "How long 'denied' SubjectAccessReview answers are cached.",
            static (o, v) => o with { AuthorizationWebhookCacheUnauthorizedTtl = v }, TimeSpan.FromSeconds(10)),
    ];

    // k8s.io/apiserver pkg/server/options/server_run_options.go.
    private static Flag[] Generic() =>
    [
        Flag.Int("max-mutating-requests-inflight", "Most mutating requests served at once (beyond it: 429); 0 means no limit.",
            static (o, v) => o with { MaxMutatingRequestsInflight = v }, 200),
        Flag.Int("max-requests-inflight", "Most non-mutating requests served at once (beyond it: 429); 0 means no limit.",
            static (o, v) => o with { MaxRequestsInflight = v }, 400),
        Flag.Duration("request-timeout", "Longest a non-long-running request is served before it is answered 504 Timeout; also bounds the drain at shutdown.",
            static (o, v) => o with { RequestTimeout = v }, TimeSpan.FromMinutes(1)),
        Flag.Duration("shutdown-delay-duration", "Keep serving this long after a termination signal, so load balancers can stop sending requests.",
            static (o, v) => o with { ShutdownDelayDuration = v }, TimeSpan.Zero),
    ];

    // k8s.io/component-base logs/api/v1/options.go.
    private static Flag[] Logging() =>
    [
        Flag.String("logging-format", "Log format: \"text\" or \"json\".",
            static (o, v) => o with { LoggingFormat = v }, "text"),
        Flag.Level("v", 'v', "Log verbosity level.", static (o, v) => o with { Verbosity = v }),
    ];
}
