using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TinyMetrics.Simulator.Hosting;

namespace TinyMetrics.Simulator.Api;

/// <summary>The simulated kube-apiserver: one HTTPS endpoint on 127.0.0.1, or on ::1 for an IPv6 cluster.</summary>
internal static class ApiServer
{
    public static WebApplication Build(ApiState state, IPAddress address, int port, AggregationProxy proxy)
    {
        var builder = HostBuilders.CreateSlim();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(state.Certificates.ApiServer);
            });
        });
        var app = builder.Build();
        var router = new ApiRouter(state, proxy);
        app.Run(router.HandleAsync);
        return app;
    }
}
