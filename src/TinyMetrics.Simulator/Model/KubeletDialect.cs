namespace TinyMetrics.Simulator.Model;

/// <summary>Which kubelet's <c>/metrics/resource</c> body a simulated node writes.</summary>
public enum KubeletDialect
{
    /// <summary>The simple shape's body: the five families metrics-server reads plus the pod-level ones, no swap.</summary>
    Simple,

    /// <summary>
    /// A 1.29+ kubelet: container, node and pod families for CPU, working set and swap, container start times,
    /// <c>resource_scrape_error</c>; stable families tagged <c>[STABLE]</c>, the swap ones <c>[ALPHA]</c>.
    /// </summary>
    Modern,

    /// <summary>
    /// A 1.2x kubelet: every family <c>[ALPHA]</c>, no pod-level and no swap families, <c>scrape_error</c>, and
    /// <c>container_start_time_seconds</c> with a TYPE line but no HELP line.
    /// </summary>
    Legacy,
}
