namespace TinyMetrics.E2E.Security;

/// <summary>
/// A small cluster of its own whose tinymetrics has no request-header flags: the front-proxy CA comes from
/// the simulator's extension-apiserver-authentication ConfigMap, as in a cluster.
/// </summary>
public sealed class ConfigMapRotationCluster : Infrastructure.LocalCluster
{
    public const int Nodes = 2;

    protected override string FirstAddress => "127.82.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => 2;

    protected override bool RequestHeaderFromFlags => false;
}
