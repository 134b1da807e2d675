using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// An IPv6-only cluster: the simulator's API server and kubelets on ::1 (each kubelet on its own port, advertised in
/// status.daemonEndpoints), tinymetrics on --bind-address=:: with a kubeconfig for https://[::1]:PORT, dialled by the
/// aggregation proxy at [::1]. Not started on a host without IPv6 (its tests skip).
/// </summary>
public sealed class Ipv6Cluster : LocalCluster
{
    protected override string FirstAddress => "::1";

    // Free consecutive ports on ::1 rather than 10250 and up.
    protected override IEnumerable<string> ExtraSimulatorArgs => ["--kubelet-port=0"];

    protected override IEnumerable<string> BindArgs => ["--bind-address=::"];

    protected override string ServerHost => "[::1]";

    protected override IEnumerable<string> ExtraServerArgs => ["--kubelet-use-node-status-port"];

    public override Task InitializeAsync() => Ipv6Loopback.IsAvailable() ? base.InitializeAsync() : Task.CompletedTask;
}
