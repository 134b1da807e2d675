using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// A small cluster of its own whose tinymetrics reads the request-header CA and the kubelet CA from the
/// simulator's files, so rotating them in the simulator reaches it through file reloads.
/// </summary>
public sealed class RotationCluster : LocalCluster
{
    public const int Nodes = 3;

    protected override string FirstAddress => "127.81.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => 3;

    // --requestheader-client-ca-file=DIR/front-proxy-ca.crt is already among every cluster's flags.
    protected override IEnumerable<string> ExtraServerArgs => [$"--kubelet-certificate-authority={Path.Combine(Directory, "kubelet-ca.crt")}"];
}
