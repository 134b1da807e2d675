using TinyMetrics.Configuration;
using TinyMetrics.Http;
using TinyMetrics.Rendering;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving;

/// <summary>
/// Serves every request that passed security, by the endpoint its <see cref="RequestInfo"/> names: health,
/// discovery documents, the metrics resources, /metrics and /version. Paths are matched by hand so 404 and
/// 405 answers are upstream's Status bodies.
/// </summary>
internal sealed class ApiRouter
{
    // /version: the Kubernetes library level upstream reports, with our own git version.
    private static readonly byte[] VersionJson = System.Text.Encoding.UTF8.GetBytes(
        $$"""{"major":"1","minor":"36","gitVersion":"{{BuildInfo.Version}}","gitCommit":"","gitTreeState":"clean","buildDate":"","goVersion":"","compiler":"dotnet-aot","platform":"linux/{{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}}"}""");

    private readonly MetricsEndpoints _metrics;
    private readonly HealthEndpoints _health;
    private readonly SelfMetrics _selfMetrics;

    public ApiRouter(MetricsEndpoints metrics, HealthEndpoints health, SelfMetrics selfMetrics)
    {
        _metrics = metrics;
        _health = health;
        _selfMetrics = selfMetrics;
    }

    public Task HandleAsync(HttpContext context)
    {
        var request = RequestInfo.Of(context);
        return request.Target switch
        {
            // Health answers any method, as upstream's health handlers do.
            _ when request.IsHealth => _health.HandleAsync(context, request),
            not RequestTarget.NotFound when !request.IsReadOnly => StatusWriter.WriteAsync(context, KubeStatus.MethodNotAllowed),
            RequestTarget.Resource => _metrics.HandleAsync(context, request),
            RequestTarget.Discovery => DiscoveryAsync(context),
            RequestTarget.ApiGroup => WriteJsonAsync(context, ApiDiscoveryDocuments.ApiGroup),
            RequestTarget.ApiResources => WriteJsonAsync(context, ApiDiscoveryDocuments.ApiResourceList(request.ApiVersion)),
            RequestTarget.SelfMetrics => WriteTextAsync(context, _selfMetrics.Render(), "text/plain; version=0.0.4; charset=utf-8"),
            RequestTarget.Version => WriteJsonAsync(context, VersionJson),
            _ => StatusWriter.WriteAsync(context, KubeStatus.PathNotFound),
        };
    }

    private static Task DiscoveryAsync(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && accept.Contains("v=v2", StringComparison.Ordinal)
            && !accept.Contains("v=v2beta1", StringComparison.Ordinal))
        {
            context.Response.Headers.ETag = ApiDiscoveryDocuments.AggregatedDiscoveryETag;
            if (context.Request.Headers.IfNoneMatch.ToString() == ApiDiscoveryDocuments.AggregatedDiscoveryETag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            return WriteJsonAsync(context, ApiDiscoveryDocuments.AggregatedDiscovery, ApiDiscoveryDocuments.AggregatedContentType);
        }
        var local = context.Connection.LocalIpAddress;
        var address = local is null ? "127.0.0.1" : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return WriteJsonAsync(context, ApiDiscoveryDocuments.ApiGroupList($"{address}:{context.Connection.LocalPort}"));
    }

    private static Task WriteJsonAsync(HttpContext context, byte[] json, string contentType = "application/json")
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json).AsTask();
    }

    private static Task WriteTextAsync(HttpContext context, string text, string contentType)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text);
    }
}
