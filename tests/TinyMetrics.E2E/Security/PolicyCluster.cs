using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>A small cluster of its own whose tinymetrics caches SubjectAccessReview answers for 2 s only.</summary>
public sealed class PolicyCluster : LocalCluster
{
    public static readonly TimeSpan AuthorizationCacheTtl = TimeSpan.FromSeconds(2);

    protected override string FirstAddress => "127.80.0.1";

    protected override int SimulatedNodes => 2;

    protected override int SimulatedPodsPerNode => 3;

    protected override IEnumerable<string> ExtraServerArgs =>
        ["--authorization-webhook-cache-authorized-ttl=2s", "--authorization-webhook-cache-unauthorized-ttl=2s"];
}
