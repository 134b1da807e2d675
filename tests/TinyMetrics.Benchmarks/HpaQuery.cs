using TinyMetrics.Selectors;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// What the HPA controller asks every 15 s per HPA: the pods of one namespace matching <c>app=X</c>
/// (reference: client-go's PodMetricses(ns).List with the target's selector).
/// </summary>
public sealed class HpaQuery
{
    private HpaQuery(string ns, LabelSelector selector)
    {
        Namespace = ns;
        Selector = selector;
    }

    public string Namespace { get; }

    public LabelSelector Selector { get; }

    /// <summary>The deployment in the middle of the cluster, so the scan is neither at the start nor the end of its namespace.</summary>
    public static HpaQuery ForMiddleDeployment(ClusterShape shape)
    {
        var (app, ns) = SyntheticCluster.Deployment(shape, shape.Deployments / 2);
        if (!LabelSelector.TryParse("app=" + app, out var selector, out var error))
            throw new InvalidOperationException(error);
        return new HpaQuery(ns, selector);
    }
}
