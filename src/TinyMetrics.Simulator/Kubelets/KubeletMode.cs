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
}
