using TinyMetrics.Http;
using TinyMetrics.Rendering;

namespace TinyMetrics.Serving;

/// <summary>
/// How a resource response is rendered: the negotiated media (JSON, YAML, protobuf; Table or
/// PartialObjectMetadata conversions), pretty JSON (?pretty, <c>pretty=1</c> in Accept, or curl/wget/browser).
/// </summary>
internal readonly record struct ResponseFormat(NegotiatedMedia Media, bool Pretty, TableIncludeObject IncludeObject)
{
    public bool Table => Media.Convert == Conversion.Table;

    public static ResponseFormat From(HttpRequest request, NegotiatedMedia media)
    {
        MetricsTable.TryParseIncludeObject(Http.ListOptions.First(request.Query, "includeObject"), out var include, out _);
        return new ResponseFormat(media, media.Pretty || IsPretty(request), include);
    }

    /// <summary>The Content-Type upstream writes: the serializer's media type plus the conversion's g, v and as.</summary>
    public string ContentType => Media.Convert switch
    {
        Conversion.Table => Media.ContentType + (Media.MetaV1Beta1 ? ";as=Table;v=v1beta1;g=meta.k8s.io" : ";as=Table;v=v1;g=meta.k8s.io"),
        _ => Media.ContentType,
    };

    // The generic apiserver pretty-prints for ?pretty=true and for these user agents.
    private static bool IsPretty(HttpRequest request)
    {
        var pretty = Http.ListOptions.First(request.Query, "pretty") ?? "";
        if (pretty.Length > 0)
            return pretty is "true" or "1";
        var agent = request.Headers.UserAgent.ToString();
        return agent.StartsWith("curl", StringComparison.Ordinal) || agent.StartsWith("Wget", StringComparison.Ordinal)
            || agent.StartsWith("Mozilla/5.0", StringComparison.Ordinal);
    }
}
