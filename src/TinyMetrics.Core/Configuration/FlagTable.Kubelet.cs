namespace TinyMetrics.Configuration;

internal static partial class FlagTable
{
    private static FlagSpec[] MetricsServer() =>
    [
        Flag.String("kubeconfig", "Path to the kubeconfig for the Kubernetes API server and the kubelets (defaults to in-cluster config).",
            static (o, v) => o with { Kubeconfig = v }),
        Flag.Duration("metric-resolution", "Interval between scrapes, which is also how long points are kept; at least 10s.",
            static (o, v) => o with { MetricResolution = v }, TimeSpan.FromSeconds(60)),
        Flag.Special("version", '\0', "Show version and exit.", FlagAction.Version),
        Flag.Special("help", 'h', "Show this help and exit.", FlagAction.Help),
    ];

    private static FlagSpec[] KubeletClient() =>
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
}
