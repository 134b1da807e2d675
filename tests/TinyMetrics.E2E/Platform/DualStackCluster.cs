using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// Dual-stack: an IPv4 API server and kubelets (127.86.0.0/16), tinymetrics on the default bind address, dialled by the
/// aggregation proxy over IPv6 at [::1] while the same listener answers on 127.86.0.1. Not started without IPv6.
/// </summary>
public sealed class DualStackCluster : LocalCluster
{
    protected override string FirstAddress => "127.86.0.1";

    protected override IEnumerable<string> BindArgs => [];

    protected override string ServerHost => "[::1]";

    public override Task InitializeAsync() => Ipv6Loopback.IsAvailable() ? base.InitializeAsync() : Task.CompletedTask;
}
