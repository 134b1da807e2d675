using TinyMetrics.Http;
using TinyMetrics.Rendering;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving;

/// <summary>
/// Dispatches every authenticated request by path: discovery documents, the metrics resources,
/// /metrics and /version. Paths are matched by hand so 404 and 405 answers are upstream's Status bodies.
/// </summary>
internal sealed class ApiRouter
{
    private const string Group = "metrics.k8s.io";

    private readonly MetricsEndpoints _metrics;
    private readonly SelfMetrics _selfMetrics;

    public ApiRouter(MetricsEndpoints metrics, SelfMetrics selfMetrics)
    {
        _metrics = metrics;
        _selfMetrics = selfMetrics;
    }

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            ["apis"] => ReadOnly(context, () => DiscoveryAsync(context)),
            ["apis", Group] => ReadOnly(context, () => JsonResponses.WriteAsync(context, ApiDiscoveryDocuments.ApiGroup)),
            ["apis", Group, var v] when ResourceRequest.TryParseVersion(v, out var version) =>
                ReadOnly(context, () => JsonResponses.WriteAsync(context, ApiDiscoveryDocuments.ApiResourceList(version))),
            ["apis", Group, var v, ..] when ResourceRequest.TryParseVersion(v, out var version)
                && ResourceRequest.TryParse(version, segments.AsSpan(3), out var request) => _metrics.HandleAsync(context, request),
            ["metrics"] => ReadOnly(context, () => TextAsync(context, _selfMetrics.Render(), "text/plain; version=0.0.4; charset=utf-8")),
            ["version"] => ReadOnly(context, () => JsonResponses.WriteAsync(context, VersionDocument.Json)),
            _ => StatusWriter.WriteAsync(context, KubeStatus.PathNotFound),
        };
    }

    private static Task ReadOnly(HttpContext context, Func<Task> handler) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? handler()
            : StatusWriter.WriteAsync(context, KubeStatus.MethodNotAllowed);

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
            return JsonResponses.WriteAsync(context, ApiDiscoveryDocuments.AggregatedDiscovery, ApiDiscoveryDocuments.AggregatedContentType);
        }
        var local = context.Connection.LocalIpAddress;
        var address = local is null ? "127.0.0.1" : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return JsonResponses.WriteAsync(context, ApiDiscoveryDocuments.ApiGroupList($"{address}:{context.Connection.LocalPort}"));
    }

    private static Task TextAsync(HttpContext context, string text, string contentType)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text);
    }
}
