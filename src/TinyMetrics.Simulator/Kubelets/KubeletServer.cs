using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Hosting;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// All simulated kubelets in one Kestrel host: one HTTPS listen endpoint per node IP, each with its node's
/// certificate. Kestrel keeps one accept loop and one socket per endpoint, so this stays light up to a few
/// thousand nodes; past ~20,000 the file-descriptor limit (ulimit -n) and certificate setup dominate.
/// The certificate is chosen at each handshake, so a kubelet CA rotation's switch reaches every new connection.
/// </summary>
internal static class KubeletServer
{
    public static WebApplication Build(
        SimulatedCluster cluster, ClusterCertificates certificates, KubeletModes modes, ContainerRestarts restarts, TimeProvider time, CancellationToken stopping,
        SummaryOnlyKubelets? summaryOnly = null)
    {
        var builder = HostBuilders.CreateSlim();
        var faults = new KubeletCertificateFaults(certificates);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var node in cluster.KubeletNodes)
            {
                // A refused kubelet is one nobody listens for: the client's connect fails at once.
                if (modes.Get(node.Index) == KubeletMode.Refuse)
                    continue;
                var kubelet = node;
                kestrel.Listen(IPAddress.Parse(node.Address), node.KubeletPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (connection, _) => Select(certificates, faults, modes, connection, kubelet),
                    });
                });
            }
        });
        var app = builder.Build();
        var handler = new KubeletHandler(cluster, certificates, modes, restarts, time, stopping, summaryOnly);
        app.Run(handler.HandleAsync);
        return app;
    }

    // The generation goes with the connection, so its later responses can tell it has been rotated out.
    // A node in a certificate fault mode presents its faulty certificate instead, and the connection says so.
    private static X509Certificate2 Select(
        ClusterCertificates certificates, KubeletCertificateFaults faults, KubeletModes modes, ConnectionContext? connection, SimulatedNode node)
    {
        var serving = certificates.KubeletServing;
        if (connection is not null)
            connection.Items[KubeletHandler.GenerationKey] = serving.Generation;
        var mode = modes.Get(node.Index);
        if (!KubeletModes.IsCertificateFault(mode))
            return serving.ByNode[node.Name];
        if (connection is not null)
            connection.Items[KubeletHandler.FaultyCertificateKey] = true;
        return faults.For(node, mode);
    }
}
