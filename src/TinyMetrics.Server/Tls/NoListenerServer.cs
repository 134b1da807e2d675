using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace TinyMetrics.Tls;

/// <summary>
/// The server for <c>--secure-port=0</c>: it listens nowhere. The generic apiserver then has no SecureServingInfo
/// and serves nothing while the rest runs; Kestrel with no endpoint would open http://localhost:5000 instead.
/// </summary>
internal sealed class NoListenerServer : IServer
{
    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}
