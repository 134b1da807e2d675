namespace TinyMetrics.Scraping;

/// <summary><c>--kubelet-metrics-source</c>: the kubelet endpoint nodes are scraped from.</summary>
public enum KubeletMetricsSource
{
    /// <summary>/metrics/resource, and the Summary API for a node whose kubelet answers 404 there.</summary>
    Auto,

    /// <summary>/metrics/resource only, as metrics-server 0.6 and later.</summary>
    Resource,

    /// <summary>/stats/summary for every node, as metrics-server up to 0.5.</summary>
    Summary,
}

/// <summary>The flag's spellings.</summary>
public static class KubeletMetricsSources
{
    public static readonly string[] Names = ["auto", "resource", "summary"];

    public static bool TryParse(string? text, out KubeletMetricsSource source)
    {
        source = text switch
        {
            "auto" => KubeletMetricsSource.Auto,
            "resource" => KubeletMetricsSource.Resource,
            "summary" => KubeletMetricsSource.Summary,
            _ => (KubeletMetricsSource)(-1),
        };
        return (int)source >= 0;
    }

    /// <summary>For validated options: an unknown spelling is <see cref="KubeletMetricsSource.Auto"/>.</summary>
    public static KubeletMetricsSource Parse(string? text) => TryParse(text, out var source) ? source : KubeletMetricsSource.Auto;
}
