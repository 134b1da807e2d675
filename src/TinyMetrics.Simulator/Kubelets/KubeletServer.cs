using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Hosting;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// All simulated kubelets in one Kestrel host: one HTTPS listen endpoint per node IP, each with its node's
/// certificate. Kestrel keeps one accept loop and one socket per endpoint, so this stays light up to a few
/// thousand nodes; past ~20,000 the file-descriptor limit (ulimit -n) and certificate setup dominate.
/// </summary>
internal static class KubeletServer
{
    public static WebApplication Build(
        SimulatedCluster cluster, ClusterCertificates certificates, KubeletModes modes, TimeProvider time, CancellationToken stopping)
    {
        var builder = HostBuilders.CreateSlim();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var node in cluster.Nodes)
            {
                var cert = certificates.Kubelets[node.Name];
                kestrel.Listen(IPAddress.Parse(node.Address), node.KubeletPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(cert);
                });
            }
        });
        var app = builder.Build();
        var handler = new KubeletHandler(cluster, modes, time, stopping);
        app.Run(handler.HandleAsync);
        return app;
    }
}
