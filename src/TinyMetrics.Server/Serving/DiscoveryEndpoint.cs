using TinyMetrics.Http;
using TinyMetrics.Rendering;

namespace TinyMetrics.Serving;

/// <summary>What <c>GET /apis</c> answers with.</summary>
internal enum DiscoveryFormat
{
    /// <summary>The legacy APIGroupList (application/json).</summary>
    Legacy,

    /// <summary>APIGroupDiscoveryList, apidiscovery.k8s.io/v2.</summary>
    V2,

    /// <summary>APIGroupDiscoveryList, apidiscovery.k8s.io/v2beta1.</summary>
    V2Beta1,
}

/// <summary>
/// <c>GET /apis</c> as the generic apiserver's aggregated-discovery wrapper answers it: the acceptable Accept range
/// with the highest q (the first on a tie) picks aggregated discovery v2 or v2beta1 (with its ETag, 304 on a
/// matching If-None-Match), and anything else gets the legacy APIGroupList.
/// </summary>
internal static class DiscoveryEndpoint
{
    public static Task HandleAsync(HttpContext context)
    {
        var format = Choose(context.Request.Headers.Accept.ToString());
        context.Response.Headers.Vary = "Accept";
        if (format == DiscoveryFormat.Legacy)
            return ApiRouter.WriteJsonAsync(context, ApiDiscoveryDocuments.ApiGroupList(ServerAddress(context)));
        var v2 = format == DiscoveryFormat.V2;
        var etag = v2 ? ApiDiscoveryDocuments.AggregatedDiscoveryETag : ApiDiscoveryDocuments.AggregatedDiscoveryV2Beta1ETag;
        var contentType = v2 ? ApiDiscoveryDocuments.AggregatedContentType : ApiDiscoveryDocuments.AggregatedContentTypeV2Beta1;
        context.Response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.ContentType = contentType;
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        return ApiRouter.WriteJsonAsync(context, v2 ? ApiDiscoveryDocuments.AggregatedDiscovery : ApiDiscoveryDocuments.AggregatedDiscoveryV2Beta1, contentType);
    }

    /// <summary>The first clause in goautoneg's order that names a discovery format (or plain JSON) decides; none means legacy.</summary>
    public static DiscoveryFormat Choose(string accept)
    {
        var header = accept.AsSpan();
        var capacity = ContentNegotiation.Capacity(header);
        Span<AcceptClause> clauses = capacity <= ContentNegotiation.StackClauses
            ? stackalloc AcceptClause[ContentNegotiation.StackClauses] : new AcceptClause[capacity];
        foreach (var clause in ContentNegotiation.Ordered(header, clauses))
        {
            if (Classify(header, clause) is { } format)
                return format;
        }
        return DiscoveryFormat.Legacy;
    }

    private static DiscoveryFormat? Classify(ReadOnlySpan<char> header, AcceptClause clause)
    {
        if (!clause.Matches(header, MediaKind.Json))
            return null;
        var group = clause.Parameter(header, "g");
        var kind = clause.Parameter(header, "as");
        if (group.IsEmpty && kind.IsEmpty)
            return DiscoveryFormat.Legacy;
        if (!group.SequenceEqual("apidiscovery.k8s.io") || !kind.SequenceEqual("APIGroupDiscoveryList"))
            return null;
        var version = clause.Parameter(header, "v");
        return version.SequenceEqual("v2") ? DiscoveryFormat.V2 : version.SequenceEqual("v2beta1") ? DiscoveryFormat.V2Beta1 : null;
    }

    private static string ServerAddress(HttpContext context)
    {
        var local = context.Connection.LocalIpAddress;
        var address = local is null ? "127.0.0.1" : local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{local}]" : local.ToString();
        return $"{address}:{context.Connection.LocalPort}";
    }
}
