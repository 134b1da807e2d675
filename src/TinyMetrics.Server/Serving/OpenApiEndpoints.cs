using System.Globalization;
using TinyMetrics.Http;
using TinyMetrics.Rendering;

namespace TinyMetrics.Serving;

/// <summary>
/// /openapi/v2, /openapi/v3 and /openapi/v3/apis/metrics.k8s.io/{version} as kube-openapi's handlers serve them:
/// JSON only (a request that accepts no JSON gets 406), ETag with 304 on a matching If-None-Match (the aggregator's
/// downloader relies on it), and for a v3 document asked by the index's ?hash=, immutable caching, or a 301 to the
/// current hash when the asked one is stale. The documents are static bytes built at start.
/// </summary>
internal sealed class OpenApiEndpoints
{
    private readonly OpenApiDocuments _documents;
    private readonly TimeProvider _time;

    public OpenApiEndpoints(OpenApiDocuments documents, TimeProvider time)
    {
        _documents = documents;
        _time = time;
    }

    public Task V2Async(HttpContext context) =>
        AcceptsJson(context) ? ServeAsync(context, _documents.V2) : NotAcceptable(context);

    public Task V3IndexAsync(HttpContext context) => ServeAsync(context, _documents.V3Index);

    public Task V3GroupVersionAsync(HttpContext context, ApiVersion version)
    {
        if (!AcceptsJson(context))
            return NotAcceptable(context);
        var document = _documents.V3(version);
        var hash = context.Request.Query["hash"].ToString();
        if (hash.Length > 0)
        {
            if (hash != document.Hash)
            {
                var path = version == ApiVersion.V1 ? "/openapi/v3/apis/metrics.k8s.io/v1" : "/openapi/v3/apis/metrics.k8s.io/v1beta1";
                context.Response.Headers.Location = path + "?hash=" + document.Hash;
                context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                return Task.CompletedTask;
            }
            // A hashed URL names these exact bytes, so caches may keep them for good.
            context.Response.Headers.CacheControl = "public, immutable";
            context.Response.Headers.Expires = _time.GetUtcNow().AddYears(1).ToString("R", CultureInfo.InvariantCulture);
        }
        return ServeAsync(context, document);
    }

    private static Task ServeAsync(HttpContext context, OpenApiDocument document)
    {
        var headers = context.Response.Headers;
        headers.Vary = "Accept";
        headers.ETag = document.ETag;
        context.Response.ContentType = "application/json";
        if (Matches(context.Request.Headers.IfNoneMatch.ToString(), document.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = document.Json.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(document.Json).AsTask();
    }

    // If-None-Match is "*" or a list of entity tags (weak ones compare by their opaque part), as Go's ServeContent reads it.
    private static bool Matches(ReadOnlySpan<char> ifNoneMatch, string etag)
    {
        foreach (var range in ifNoneMatch.Split(','))
        {
            var tag = ifNoneMatch[range].Trim();
            if (tag.StartsWith("W/"))
                tag = tag[2..];
            if (tag.SequenceEqual("*") || tag.SequenceEqual(etag))
                return true;
        }
        return false;
    }

    // kube-openapi offers JSON and protobuf; TinyMetrics publishes JSON, so only a range covering it is served.
    private static bool AcceptsJson(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (accept.Length == 0)
            return true;
        var header = accept.AsSpan();
        var capacity = ContentNegotiation.Capacity(header);
        Span<AcceptClause> clauses = capacity <= ContentNegotiation.StackClauses
            ? stackalloc AcceptClause[ContentNegotiation.StackClauses] : new AcceptClause[capacity];
        foreach (var clause in ContentNegotiation.Ordered(header, clauses))
        {
            if (clause.Q > 0 && clause.Matches(header, MediaKind.Json))
                return true;
        }
        return false;
    }

    private static Task NotAcceptable(HttpContext context)
    {
        context.Response.Headers.Vary = "Accept";
        context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
        return Task.CompletedTask;
    }
}
