namespace TinyMetrics.Configuration;

/// <summary>
/// metrics-server's option checks in its order: the kubelet client's (<c>kubelet_client.go</c>), then the
/// server's (<c>options.go</c>: resolution, then the secure port of k8s.io/apiserver <c>serving.go</c> and the
/// component-base logging format). Like its <c>runCommand</c>, only the first failure is reported.
/// </summary>
public static class ServerOptionsValidator
{
    private static readonly TimeSpan MinimumResolution = TimeSpan.FromSeconds(10);

    /// <summary>Returns the first error message, or null when the options are usable.</summary>
    public static string? Validate(ServerOptions options) =>
        KubeletClientError(options) ?? ServerError(options) ?? ReplicaError(options);

    // TinyMetrics' own: a Service name, or namespace/name, as a Service's DNS label allows.
    private static string? ReplicaError(ServerOptions o)
    {
        if (o.ReplicasFrom.Length == 0)
            return null;
        var parts = o.ReplicasFrom.Split('/');
        if (parts.Length > 2 || Array.Exists(parts, static p => p.Length == 0 || p.Length > 63))
            return "--replicas-from must be a Service NAME or NAMESPACE/NAME, but value \"" + o.ReplicasFrom + "\" provided";
        return null;
    }

    private static string? KubeletClientError(ServerOptions o)
    {
        var hasCa = o.KubeletCertificateAuthority.Length > 0;
        var hasKey = o.KubeletClientKey.Length > 0;
        var hasCert = o.KubeletClientCertificate.Length > 0;
        var deprecated = o.DeprecatedKubeletCompletelyInsecure;

        if (hasCa && o.KubeletInsecureTls)
            return "cannot use both --kubelet-certificate-authority and --kubelet-insecure-tls";
        if (hasKey != hasCert)
            return "need both --kubelet-client-key and --kubelet-client-certificate";
        if (hasKey && deprecated)
            return "cannot use both --kubelet-client-key and --deprecated-kubelet-completely-insecure";
        if (hasCert && deprecated)
            return "cannot use both --kubelet-client-certificate and --deprecated-kubelet-completely-insecure";
        if (o.KubeletInsecureTls && deprecated)
            return "cannot use both --kubelet-insecure-tls and --deprecated-kubelet-completely-insecure";
        if (hasCa && deprecated)
            return "cannot use both --kubelet-certificate-authority and --deprecated-kubelet-completely-insecure";
        if (o.KubeletRequestTimeout <= TimeSpan.Zero)
            return "kubelet-request-timeout should be positive";
        if (o.KubeletMetricsSource is not ("auto" or "resource" or "summary"))
            return "kubelet-metrics-source: Invalid value: " + GoStrconv.Quote(o.KubeletMetricsSource) + ": supported values: \"auto\", \"resource\", \"summary\"";
        return null;
    }

    private static string? ServerError(ServerOptions o)
    {
        if (o.MetricResolution < MinimumResolution)
            return "metric-resolution should be a time duration at least 10s, but value " + GoDuration.Format(o.MetricResolution) + " provided";
        // Upstream compares resolution*9/10, the scrape's share of a cycle, in integer nanoseconds.
        if (TimeSpan.FromTicks(o.MetricResolution.Ticks * 9 / 10) < o.KubeletRequestTimeout)
        {
            return "metric-resolution should be larger than kubelet-request-timeout, but metric-resolution value "
                + GoDuration.Format(o.MetricResolution) + " kubelet-request-timeout value "
                + GoDuration.Format(o.KubeletRequestTimeout) + " provided";
        }
        if (o.SecurePort is < 0 or > 65535)
            return "--secure-port " + o.SecurePort + " must be between 0 and 65535, inclusive. 0 for turning off secure port";
        // k8s.io/apiserver ServerRunOptions.Validate: a negative limit would be a channel of negative size there.
        if (o.MaxRequestsInflight < 0)
            return "--max-requests-inflight can not be negative value";
        if (o.MaxMutatingRequestsInflight < 0)
            return "--max-mutating-requests-inflight can not be negative value";
        if (o.RequestTimeout < TimeSpan.Zero)
            return "--request-timeout can not be negative value";
        if (o.ShutdownDelayDuration < TimeSpan.Zero)
            return "--shutdown-delay-duration can not be negative value";
        if (o.LoggingFormat is not ("text" or "json"))
            return "logging-format: Invalid value: " + GoStrconv.Quote(o.LoggingFormat) + ": Unsupported log format (supported: \"json\", \"text\")";
        return null;
    }
}
