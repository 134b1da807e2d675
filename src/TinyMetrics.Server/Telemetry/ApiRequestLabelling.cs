using Microsoft.Extensions.Primitives;
using TinyMetrics.Http;

namespace TinyMetrics.Telemetry;

/// <summary>
/// The label values upstream's request metrics give a request (<c>pkg/endpoints/metrics</c> MonitorRequest and
/// RecordDroppedRequest, <c>pkg/server/healthz</c>): upper-case verbs from a fixed set ("other" for the rest),
/// dry_run from the query, and scope as the route installer names it for handled requests or as CleanScope does
/// for dropped ones. Every value is a constant or a string the request already holds.
/// </summary>
internal static class ApiRequestLabelling
{
    /// <summary>The component label of resource requests (upstream's APIServerComponent).</summary>
    public const string Component = "apiserver";

    /// <summary>A request a handler answered: a metrics resource, or a health check (GET, its path as subresource, no component).</summary>
    public static ApiRequestLabels Handler(RequestInfo info, HttpRequest request)
    {
        var a = info.Attributes;
        if (info.IsHealth)
            return new ApiRequestLabels("GET", DryRun(request.Query), "", "", "", a.Path, "", "");
        // The installer's scope: a route with {name} is "resource", else namespaced or cluster-wide.
        var scope = a.Name.Length > 0 ? "resource" : a.Namespace.Length > 0 ? "namespace" : "cluster";
        return new ApiRequestLabels(Verb(a.Verb), DryRun(request.Query), a.Group, a.Version, a.Resource, a.Subresource, scope, Component);
    }

    /// <summary>A request max-in-flight answered 429.</summary>
    public static ApiRequestLabels Dropped(RequestInfo info, HttpRequest request)
    {
        var a = info.Attributes;
        var dryRun = DryRun(request.Query);
        if (!a.IsResourceRequest)
            return new ApiRequestLabels(Verb(a.Verb is "head" ? "get" : a.Verb), dryRun, "", "", "", "", "", Component);
        var scope = a.Namespace.Length > 0 ? "namespace" : a.Name.Length > 0 ? "resource" : "cluster";
        return new ApiRequestLabels(Verb(a.Verb), dryRun, a.Group, a.Version, a.Resource, a.Subresource, scope, Component);
    }

    /// <summary>cleanVerb's valid set; anything else (an unknown method) is "other".</summary>
    public static string Verb(string lowerVerb) => lowerVerb switch
    {
        "get" => "GET",
        "list" => "LIST",
        "watch" or "watchlist" => "WATCH",
        "create" => "CREATE",
        "update" => "UPDATE",
        "patch" => "PATCH",
        "delete" => "DELETE",
        "deletecollection" => "DELETECOLLECTION",
        "post" => "POST",
        "put" => "PUT",
        "proxy" => "PROXY",
        "connect" => "CONNECT",
        _ => "other",
    };

    /// <summary>cleanDryRun: the dryRun values joined with ',', or "invalid" when one is not "All".</summary>
    public static string DryRun(IQueryCollection query)
    {
        if (!query.TryGetValue("dryRun", out var values) || values.Count == 0)
            return "";
        foreach (var value in values)
        {
            if (value != "All")
                return "invalid";
        }
        return values.Count == 1 ? "All" : string.Join(',', (IEnumerable<string?>)values);
    }
}
