namespace TinyMetrics.Configuration;

internal static partial class FlagTable
{
    private static FlagSpec[] SecureServing() =>
    [
        new()
        {
            Name = "bind-address", Kind = FlagKind.Ip, TypeName = "ip", DefaultText = "0.0.0.0",
            Usage = "Address to listen on for --secure-port; 0.0.0.0 or :: listens on all interfaces.",
            Setter = static (o, v) => o with { BindAddress = v.Address! },
        },
        Flag.String("cert-dir", "Directory holding the serving certificate; ignored when --tls-cert-file and --tls-private-key-file are set.",
            static (o, v) => o with { CertDir = v }, "apiserver.local.config/certificates"),
        Flag.Bool("disable-http2-serving", "Serve HTTP/1.1 only.",
            static (o, v) => o with { DisableHttp2Serving = v }),
        Flag.Int("http2-max-streams-per-connection", "Most concurrent HTTP/2 streams per client connection; 0 keeps the server default.",
            static (o, v) => o with { Http2MaxStreamsPerConnection = v }),
        Flag.Ignored("permit-address-sharing", FlagKind.Bool, "[ignored] Bind with SO_REUSEADDR."),
        Flag.Ignored("permit-port-sharing", FlagKind.Bool, "[ignored] Bind with SO_REUSEPORT."),
        Flag.Int("secure-port", "Port to serve HTTPS on; 0 disables HTTPS.",
            static (o, v) => o with { SecurePort = v }, 443),
        Flag.String("tls-cert-file", "Serving certificate file (intermediates appended); without it a self-signed pair is made in --cert-dir.",
            static (o, v) => o with { TlsCertFile = v }),
        Flag.Strings("tls-cipher-suites", "Comma-separated cipher suites (Go names); the platform defaults when omitted.",
            static (o, v) => o with { TlsCipherSuites = v }, []),
        Flag.Ignored("tls-curve-preferences", FlagKind.Text, "strings", "[ignored] Elliptic curves to prefer for key exchange.", ""),
        Flag.String("tls-min-version", "Minimum TLS version: VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13.",
            static (o, v) => o with { TlsMinVersion = v }),
        Flag.String("tls-private-key-file", "Private key matching --tls-cert-file.",
            static (o, v) => o with { TlsPrivateKeyFile = v }),
        Flag.NamedCertKeys("tls-sni-cert-key", "A certificate and key chosen by SNI: \"cert,key\" (names from the certificate) or \"cert,key:*.example.com,example.com\"; repeatable.",
            static (o, v) => o with { TlsSniCertKeys = v }),
    ];

    private static FlagSpec[] Authentication() =>
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

    private static FlagSpec[] Authorization() =>
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
}
