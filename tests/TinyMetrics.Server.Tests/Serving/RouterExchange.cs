using System.Text;
using Microsoft.AspNetCore.Http;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Rendering;
using TinyMetrics.Selectors;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving.Tests;

/// <summary>One request through <see cref="ApiRouter"/> (behind security) on a server that has listed nothing, with headers.</summary>
internal static class RouterExchange
{
    public static async Task<(int Code, IHeaderDictionary Headers, string Body)> SendAsync(
        string path, string query = "", string? accept = null, string? ifNoneMatch = null, string method = "GET")
    {
        var published = new SnapshotCell();
        var cluster = new EmptyCluster();
        var selfMetrics = new SelfMetrics(TimeSpan.FromSeconds(15), TimeProvider.System);
        LabelSelector.TryParse("", out var everything, out _);
        var health = new HealthEndpoints(new HealthState(published, cluster, TimeProvider.System, TimeSpan.FromSeconds(15)));
        var router = new ApiRouter(new MetricsEndpoints(published, cluster, everything, selfMetrics, TimeProvider.System), health, selfMetrics,
            new OpenApiEndpoints(OpenApiDocuments.Instance, TimeProvider.System));
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (accept is not null)
            context.Request.Headers.Accept = accept;
        if (ifNoneMatch is not null)
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        var body = new MemoryStream();
        context.Response.Body = body;

        await router.HandleAsync(context);

        return (context.Response.StatusCode, context.Response.Headers, Encoding.UTF8.GetString(body.ToArray()));
    }

    private sealed class EmptyCluster : IClusterViewSource
    {
        public ClusterView Current => ClusterView.Empty;

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
