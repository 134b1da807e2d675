using TinyMetrics.Configuration;
using TinyMetrics.Http;
using TinyMetrics.Rendering;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving;

/// <summary>
/// Serves every request that passed security, by the endpoint its <see cref="RequestInfo"/> names: health,
/// discovery documents, OpenAPI, the metrics resources, /metrics and /version. Paths are matched by hand so 404 and
/// 405 answers are upstream's Status bodies.
/// </summary>
internal sealed class ApiRouter
{
    // /version: Go's version.Info. Major/minor (and emulation, min compatibility) are the Kubernetes library level
    // upstream reports (component-base's effective version); the git fields are our own build's.
    private static readonly byte[] VersionJson = System.Text.Encoding.UTF8.GetBytes(
        $$"""{"major":"1","minor":"36","emulationMajor":"1","emulationMinor":"36","minCompatibilityMajor":"1","minCompatibilityMinor":"35","gitVersion":"{{BuildInfo.Version}}","gitCommit":"{{BuildInfo.GitCommit}}","gitTreeState":"{{BuildInfo.GitTreeState}}","buildDate":"{{BuildInfo.BuildDate}}","goVersion":"{{BuildInfo.RuntimeVersion}}","compiler":"dotnet-aot","platform":"{{BuildInfo.Platform}}"}""");

    private readonly MetricsEndpoints _metrics;
    private readonly HealthEndpoints _health;
    private readonly SelfMetrics _selfMetrics;
    private readonly OpenApiEndpoints _openApi;
    private readonly Replicas.PeerShare? _share;

    /// <param name="share">HA mode's share for peers; null answers its path as not found.</param>
    public ApiRouter(MetricsEndpoints metrics, HealthEndpoints health, SelfMetrics selfMetrics, OpenApiEndpoints openApi, Replicas.PeerShare? share = null)
    {
        _share = share;
        _openApi = openApi;
        _metrics = metrics;
        _health = health;
        _selfMetrics = selfMetrics;
    }

    public Task HandleAsync(HttpContext context)
    {
        var request = RequestInfo.Of(context);
        request.Instrumented = request.IsHealth || (request.Target == RequestTarget.Resource && request.IsReadOnly);
        return request.Target switch
        {
            // Health answers any method, as upstream's health handlers do.
            _ when request.IsHealth => _health.HandleAsync(context, request),
            not RequestTarget.NotFound when !request.IsReadOnly => StatusWriter.WriteAsync(context, KubeStatus.MethodNotAllowed),
            RequestTarget.Resource => _metrics.HandleAsync(context, request),
            RequestTarget.Discovery => DiscoveryEndpoint.HandleAsync(context),
            RequestTarget.ApiGroup => WriteJsonAsync(context, ApiDiscoveryDocuments.ApiGroup),
            RequestTarget.ApiResources => WriteJsonAsync(context, ApiDiscoveryDocuments.ApiResourceList(request.ApiVersion)),
            RequestTarget.OpenApiV2 => _openApi.V2Async(context),
            RequestTarget.OpenApiV3 => _openApi.V3IndexAsync(context),
            RequestTarget.OpenApiV3GroupVersion => _openApi.V3GroupVersionAsync(context, request.ApiVersion),
            RequestTarget.SelfMetrics => WriteTextAsync(context, _selfMetrics.Render(), "text/plain; version=0.0.4; charset=utf-8"),
            RequestTarget.Version => WriteJsonAsync(context, VersionJson),
            RequestTarget.PeerShare when _share is not null => WriteShareAsync(context, _share.Current),
            _ => StatusWriter.WriteAsync(context, KubeStatus.PathNotFound),
        };
    }

    internal static Task WriteJsonAsync(HttpContext context, byte[] json, string contentType = "application/json")
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json).AsTask();
    }

    // Before this replica's first scrape there is nothing to share: 503, and the peer scrapes those nodes itself.
    private static Task WriteShareAsync(HttpContext context, byte[]? share) => share is null
        ? StatusWriter.WriteAsync(context, KubeStatus.ServiceUnavailable("no share yet: the first scrape has not finished"))
        : WriteJsonAsync(context, share, Replicas.PeerShare.ContentType);

    private static Task WriteTextAsync(HttpContext context, string text, string contentType)
    {
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(text);
    }
}
