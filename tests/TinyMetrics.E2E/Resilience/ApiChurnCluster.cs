namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// <see cref="ApiFaultCluster"/> with tinymetrics at --v=4, where each publish of the served snapshot logs the cluster
/// view's resourceVersions it follows: the churn test's oracle of what tinymetrics has seen.
/// </summary>
public sealed class ApiChurnCluster : ApiFaultCluster
{
    protected override IEnumerable<string> ExtraServerArgs => ["--v=4"];
}
