using TinyMetrics.Rendering;

namespace TinyMetrics.Http;

/// <summary>
/// Everything the server reads from a request's method, path and query, parsed once: the attributes
/// authorization asks about, and the endpoint routing dispatches to. Security and Serving both see the
/// same instance through <see cref="Of"/>.
/// </summary>
internal sealed class RequestInfo
{
    private const string Group = "metrics.k8s.io";

    private RequestInfo()
    {
    }

    /// <summary>What a SubjectAccessReview is asked about; the path split as upstream splits it.</summary>
    public required RequestAttributes Attributes { get; init; }

    public required RequestTarget Target { get; init; }

    /// <summary>GET or HEAD, the only methods the read-only endpoints answer.</summary>
    public required bool IsReadOnly { get; init; }

    /// <summary>The version of <see cref="RequestTarget.ApiResources"/>, <see cref="RequestTarget.Resource"/> and <see cref="RequestTarget.OpenApiV3GroupVersion"/>.</summary>
    public ApiVersion ApiVersion { get; private init; }

    /// <summary>The nodes or pods asked for, when <see cref="Target"/> is <see cref="RequestTarget.Resource"/>.</summary>
    public ResourceRequest Resource { get; private init; }

    /// <summary>The one check of /healthz/{check}, /livez/{check} or /readyz/{check}; null for all of them.</summary>
    public string? HealthCheck { get; private init; }

    public bool IsHealth => Target is RequestTarget.Healthz or RequestTarget.Livez or RequestTarget.Readyz;

    /// <summary>
    /// Set by the router when the request reached a handler upstream instruments (a metrics resource, a health
    /// check), so the request metrics count it; the security filters' 401 and 403 leave it unset, as upstream's do.
    /// </summary>
    public bool Instrumented { get; set; }

    /// <summary>The request's info, parsed on first use and kept in the request's features.</summary>
    public static RequestInfo Of(HttpContext context)
    {
        var info = context.Features.Get<RequestInfo>();
        if (info is null)
        {
            info = Parse(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.Query);
            context.Features.Set(info);
        }
        return info;
    }

    public static RequestInfo Parse(string method, string path, IQueryCollection query)
    {
        var parts = path.Trim('/').Split('/');
        var attributes = RequestAttributes.From(method, path, parts, query);
        // Methods are case-sensitive (RFC 9110 §9.1): "get" is no GET, as in Go's router.
        var isReadOnly = method is "GET" or "HEAD";
        var health = HealthTarget(path);
        if (health != RequestTarget.NotFound)
        {
            var slash = path.IndexOf('/', 1);
            return new RequestInfo
            {
                Attributes = attributes, Target = health, IsReadOnly = isReadOnly,
                HealthCheck = slash < 0 ? null : path[(slash + 1)..],
            };
        }
        var target = Route(parts, out var version, out var resource);
        return new RequestInfo { Attributes = attributes, Target = target, IsReadOnly = isReadOnly, ApiVersion = version, Resource = resource };
    }

    // A health path is the endpoint itself or anything under "endpoint/" (then one check, found or not).
    private static RequestTarget HealthTarget(string path) =>
        IsUnder(path, "/healthz") ? RequestTarget.Healthz
        : IsUnder(path, "/livez") ? RequestTarget.Livez
        : IsUnder(path, "/readyz") ? RequestTarget.Readyz
        : RequestTarget.NotFound;

    private static bool IsUnder(string path, string root) =>
        path.StartsWith(root, StringComparison.Ordinal) && (path.Length == root.Length || path[root.Length] == '/');

    // Routing and authorization see the same segments, empty ones ("//") kept, as upstream's router and RequestInfo.
    private static RequestTarget Route(string[] segments, out ApiVersion version, out ResourceRequest resource)
    {
        version = default;
        resource = default;
        switch (segments)
        {
            case ["apis"]:
                return RequestTarget.Discovery;
            case ["apis", Group]:
                return RequestTarget.ApiGroup;
            case ["apis", Group, var v] when ResourceRequest.TryParseVersion(v, out version):
                return RequestTarget.ApiResources;
            case ["apis", Group, var v, ..] when ResourceRequest.TryParseVersion(v, out version)
                && ResourceRequest.TryParse(version, segments.AsSpan(3), out resource):
                return RequestTarget.Resource;
            case ["openapi", "v2"]:
                return RequestTarget.OpenApiV2;
            case ["openapi", "v3"]:
                return RequestTarget.OpenApiV3;
            case ["openapi", "v3", "apis", Group, var v] when ResourceRequest.TryParseVersion(v, out version):
                return RequestTarget.OpenApiV3GroupVersion;
            case ["metrics"]:
                return RequestTarget.SelfMetrics;
            case ["version"]:
                return RequestTarget.Version;
            case ["tinymetrics", "peer-share"]:
                return RequestTarget.PeerShare;
            default:
                version = default;
                return RequestTarget.NotFound;
        }
    }
}

/// <summary>The endpoint a request path names.</summary>
internal enum RequestTarget
{
    /// <summary>No endpoint: upstream's PathNotFound Status.</summary>
    NotFound,
    Healthz,
    Livez,
    Readyz,

    /// <summary>/apis: the group list, or aggregated discovery when the Accept header asks for it.</summary>
    Discovery,

    /// <summary>/apis/metrics.k8s.io</summary>
    ApiGroup,

    /// <summary>/apis/metrics.k8s.io/{version}</summary>
    ApiResources,

    /// <summary>nodes or pods under /apis/metrics.k8s.io/{version}.</summary>
    Resource,

    /// <summary>/openapi/v2</summary>
    OpenApiV2,

    /// <summary>/openapi/v3: the index of group-version documents.</summary>
    OpenApiV3,

    /// <summary>/openapi/v3/apis/metrics.k8s.io/{version}</summary>
    OpenApiV3GroupVersion,

    /// <summary>/metrics: our own Prometheus metrics.</summary>
    SelfMetrics,

    /// <summary>/tinymetrics/peer-share: this replica's newest scrape of its nodes, for its HA peers.</summary>
    PeerShare,

    /// <summary>/version</summary>
    Version,
}
