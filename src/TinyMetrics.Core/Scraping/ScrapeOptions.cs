namespace TinyMetrics.Scraping;

/// <summary>How nodes are addressed and scraped (reference §1.2, §5.2, §5.4).</summary>
public sealed record ScrapeOptions
{
    public static readonly string[] DefaultAddressTypes = ["Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"];

    /// <summary><c>--kubelet-port</c>.</summary>
    public int KubeletPort { get; init; } = 10250;

    /// <summary><c>--kubelet-use-node-status-port</c>: prefer a non-zero daemon endpoint port.</summary>
    public bool UseNodeStatusPort { get; init; }

    /// <summary><c>--kubelet-preferred-address-types</c>, in order.</summary>
    public IReadOnlyList<string> PreferredAddressTypes { get; init; } = DefaultAddressTypes;

    /// <summary><c>--deprecated-kubelet-completely-insecure</c>: plain http.</summary>
    public bool PlainHttp { get; init; }

    /// <summary><c>--kubelet-request-timeout</c>: one node's deadline, from when a worker takes it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A larger body fails the node with "response body too large".</summary>
    public int MaxBodyBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Requests in flight at most (a fixed pool of fetch workers); 0 means min(nodes, 256). A waiting
    /// request holds no buffer or parser, so the pool can be wide enough that black-holed kubelets,
    /// each holding a worker for the whole timeout, do not starve the healthy ones.
    /// </summary>
    public int Workers { get; init; }

    /// <summary>Start spread per node and its cap: starts are spread over min(n × per node, max), as upstream.</summary>
    public TimeSpan JitterPerNode { get; init; } = TimeSpan.FromMilliseconds(8);

    public TimeSpan MaxJitter { get; init; } = TimeSpan.FromSeconds(4);

    public int WorkerCountFor(int nodes) => Math.Max(1, Math.Min(nodes, Workers > 0 ? Workers : 256));
}
