namespace TinyMetrics.Discovery;

/// <summary>
/// What TinyMetrics keeps of a Node: enough to scrape it and to label its metrics.
/// <see cref="KubeletPort"/> is <c>status.daemonEndpoints.kubeletEndpoint.Port</c> (0 when absent);
/// <see cref="MetricsPath"/> is the <c>metrics.k8s.io/resource-metrics-path</c> annotation, or null.
/// </summary>
public sealed record NodeInfo(
    string Name,
    LabelSet Labels,
    NodeAddress[] Addresses,
    int KubeletPort,
    string? MetricsPath,
    bool IsReady);
