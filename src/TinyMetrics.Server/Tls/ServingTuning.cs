namespace TinyMetrics.Tls;

/// <summary>
/// Timeouts of the HTTPS listener. The defaults follow the Go apiserver's http.Server
/// (k8s.io/apiserver SecureServingInfo.Serve); tests shorten them.
/// </summary>
public sealed record ServingTuning
{
    /// <summary>Default values.</summary>
    public static ServingTuning Default { get; } = new();

    /// <summary>Go: ReadHeaderTimeout 32 s. A client trickling its headers is cut off after this.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>Go: IdleTimeout 90 s (HTTP/1.1 and HTTP/2), matching http.DefaultTransport's keep-alive.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Go counts the handshake in ReadHeaderTimeout; Kestrel bounds it on its own, 10 s by default.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often certificate files are re-read: the serving pair, the client and request-header CAs, the
    /// kubelet CA and client pair (upstream: file events plus a 1 min resync).
    /// </summary>
    public TimeSpan CertificateCheckInterval { get; init; } = TimeSpan.FromSeconds(5);
}
