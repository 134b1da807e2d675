namespace TinyMetrics.Fixtures;

/// <summary>
/// Hand-written kubelet <c>/metrics/resource</c> bodies in the shape the kubelet emits (families in name
/// order, HELP/TYPE lines, millisecond timestamps). Names and values are this repo's own.
/// </summary>
internal static class KubeletBodies
{
    /// <summary>Node 357.35491 s / 1616273408 B at 1700000009720 ms; pod infra/dns-7f9c6d-x2kq8 (1 container); pod infra/edge-proxy-5b7d9 (2).</summary>
    public static ReadOnlySpan<byte> Normal => """
        # HELP container_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the container in core-seconds
        # TYPE container_cpu_usage_seconds_total counter
        container_cpu_usage_seconds_total{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 4.710169 1700000012125
        container_cpu_usage_seconds_total{container="proxy",namespace="infra",pod="edge-proxy-5b7d9"} 12.5 1700000011000
        container_cpu_usage_seconds_total{container="sidecar",namespace="infra",pod="edge-proxy-5b7d9"} 0.25 1700000011000
        # HELP container_memory_working_set_bytes [ALPHA] Current working set of the container in bytes
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.253376e+07 1700000012125
        container_memory_working_set_bytes{container="proxy",namespace="infra",pod="edge-proxy-5b7d9"} 5.24288e+06 1700000011000
        container_memory_working_set_bytes{container="sidecar",namespace="infra",pod="edge-proxy-5b7d9"} 1048576 1700000011000
        # HELP container_start_time_seconds [ALPHA] Start time of the container since unix epoch in seconds
        # TYPE container_start_time_seconds gauge
        container_start_time_seconds{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.699998912e+9
        container_start_time_seconds{container="proxy",namespace="infra",pod="edge-proxy-5b7d9"} 1.7e+09
        container_start_time_seconds{container="sidecar",namespace="infra",pod="edge-proxy-5b7d9"} 1.7e+09
        # HELP node_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the node in core-seconds
        # TYPE node_cpu_usage_seconds_total counter
        node_cpu_usage_seconds_total 357.35491 1700000009720
        # HELP node_memory_working_set_bytes [ALPHA] Current working set of the node in bytes
        # TYPE node_memory_working_set_bytes gauge
        node_memory_working_set_bytes 1.616273408e+09 1700000009720
        # HELP pod_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the pod in core-seconds
        # TYPE pod_cpu_usage_seconds_total counter
        pod_cpu_usage_seconds_total{namespace="infra",pod="dns-7f9c6d-x2kq8"} 4.67812 1700000003935
        # HELP pod_memory_working_set_bytes [ALPHA] Current working set of the pod in bytes
        # TYPE pod_memory_working_set_bytes gauge
        pod_memory_working_set_bytes{namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.2627968e+07 1700000003935
        # HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise
        # TYPE resource_scrape_error gauge
        resource_scrape_error 0

        """u8;

    /// <summary>The same node and dns pod 15 s earlier (342.112345 s and 4.601234 s), for rates over a 15 s window.</summary>
    public static ReadOnlySpan<byte> FifteenSecondsEarlier => """
        container_cpu_usage_seconds_total{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 4.601234 1699999997125
        container_memory_working_set_bytes{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.2e+07 1699999997125
        container_start_time_seconds{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.699998912e+9
        node_cpu_usage_seconds_total 342.112345 1699999994720
        node_memory_working_set_bytes 1.6e+09 1699999994720

        """u8;

    /// <summary>No sample carries a timestamp: every point takes the request time.</summary>
    public static ReadOnlySpan<byte> NoTimestamps => """
        container_cpu_usage_seconds_total{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 4.710169
        container_memory_working_set_bytes{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.253376e+07
        container_start_time_seconds{container="dns",namespace="infra",pod="dns-7f9c6d-x2kq8"} 1.699998912e+9
        node_cpu_usage_seconds_total 357.35491
        node_memory_working_set_bytes 1.616273408e+09

        """u8;

    /// <summary>A start-time series with a pre-epoch timestamp (a zero Go time): the whole node fails to parse.</summary>
    public static ReadOnlySpan<byte> NegativeTimestamp => """
        # HELP container_start_time_seconds [ALPHA] Start time of the container since unix epoch in seconds
        # TYPE container_start_time_seconds gauge
        container_start_time_seconds{container="agent",namespace="monitoring",pod="agent-5c8d7f-abcde"} -6.7953645788713455e+09 -62135596800000
        container_start_time_seconds{container="agent",namespace="monitoring",pod="agent-5c8d7f-fghij"} 1.6999990241913e+09 1699999024191
        node_cpu_usage_seconds_total 357.35491 1700000009720
        node_memory_working_set_bytes 1.616273408e+09 1700000009720

        """u8;
}
