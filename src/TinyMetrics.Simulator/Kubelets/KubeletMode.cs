namespace TinyMetrics.Simulator.Kubelets;

/// <summary>How a simulated kubelet answers <c>/metrics/resource</c>; changed live for fault-injection tests.</summary>
public enum KubeletMode
{
    /// <summary>Correct, exactly predictable metrics.</summary>
    Normal,

    /// <summary>Accepts the request and never answers (until the client gives up or the simulator stops).</summary>
    Hang,

    /// <summary>200 with a body that is not Prometheus text.</summary>
    Garbage,

    /// <summary>500 Internal Server Error.</summary>
    Error500,

    /// <summary>200 with a valid start followed by 64 MiB of comment lines, to exercise body-size caps.</summary>
    Huge,

    /// <summary>
    /// Nothing listens on the kubelet's address (connection refused). Only a start-time fault
    /// (<c>--kubelet-faults</c>); set live, it resets every connection at its first request.
    /// </summary>
    Refuse,

    /// <summary>200 at once, then the correct body one byte per second.</summary>
    Slow,

    /// <summary>200 with well-formed Prometheus text that holds no node or container series.</summary>
    NoSeries,

    /// <summary>All counters restart from zero now (as after a kubelet or container restart), then behave normally.</summary>
    CounterReset,

    /// <summary>Every container's cpu and memory lines twice: first with a wrong value, then the correct one (last wins).</summary>
    DuplicateSeries,

    /// <summary>The correct body without sample timestamps.</summary>
    NoTimestamps,

    /// <summary>Each scrape's body is written for a time older than the previous scrape's (mirrored at the switch).</summary>
    BackwardsTimestamps,

    /// <summary>Timestamps move forward but the cpu counters go down each scrape, start times unchanged.</summary>
    CounterBackwards,

    /// <summary>Node cpu 1e300 and negative node memory; every other container gets 1e300, +Inf, NaN or a negative value.</summary>
    HugeValues,

    /// <summary>New TLS handshakes meet an expired serving certificate (right CA, right IP).</summary>
    ExpiredCertificate,

    /// <summary>New TLS handshakes meet a certificate for another host (right CA).</summary>
    WrongHostCertificate,

    /// <summary>New TLS handshakes meet a certificate from a CA the client does not trust (right IP).</summary>
    WrongCaCertificate,

    /// <summary>200 with the full Content-Length declared, half the body, then the connection aborted.</summary>
    CloseMidBody,

    /// <summary>200 with an HTML page (text/html), as a captive portal or a misrouted proxy answers.</summary>
    Html,
}
