namespace TinyMetrics.Scraping;

/// <summary>The kubelet TLS and credential flags (reference §1.2); files are PEM.</summary>
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
}
