namespace TinyMetrics.Http;

/// <summary>The serializations the server produces, in the generic apiserver's order of preference.</summary>
internal enum MediaKind
{
    Json,
    Yaml,
    Protobuf,
}

/// <summary>An <c>as=</c> conversion of meta.k8s.io the resource endpoints perform.</summary>
internal enum Conversion
{
    None,
    Table,
    PartialObjectMetadata,
    PartialObjectMetadataList,
}

/// <summary>What to answer with: the serialization, the conversion, its meta.k8s.io version, and <c>pretty=1</c>.</summary>
internal readonly record struct NegotiatedMedia(MediaKind Kind, Conversion Convert, bool MetaV1Beta1, bool Pretty)
{
    public static readonly NegotiatedMedia Json = new(MediaKind.Json, Conversion.None, false, false);

    public string ContentType => Kind switch
    {
        MediaKind.Yaml => "application/yaml",
        MediaKind.Protobuf => "application/vnd.kubernetes.protobuf",
        _ => "application/json",
    };
}

/// <summary>
/// Accept negotiation as k8s.io/apiserver's <c>negotiation.NegotiateMediaTypeOptions</c> does it: clauses
/// parsed and ordered as goautoneg's ParseAccept orders them (by q, then concrete before wildcard; q=0 is not
/// a refusal there either), the first clause that names json, yaml or protobuf (or <c>application/*</c>,
/// <c>*/*</c>) with parameters the endpoint allows wins. An empty Accept means JSON. Allocates nothing.
/// </summary>
internal static class ContentNegotiation
{
    private const int StackClauses = 16;

    /// <summary>
    /// Negotiates for a resource endpoint (<paramref name="resource"/> true: Table for json/yaml and
    /// PartialObjectMetadata[List] of meta.k8s.io v1/v1beta1, <c>sv=v1</c>) or for any other document and
    /// for Status bodies (no conversion). False means 406.
    /// </summary>
    public static bool TryNegotiate(string? accept, bool resource, out NegotiatedMedia media)
    {
        media = NegotiatedMedia.Json;
        if (string.IsNullOrEmpty(accept))
            return true;
        var header = accept.AsSpan();
        var count = CountParts(header);
        Span<AcceptClause> clauses = count <= StackClauses ? stackalloc AcceptClause[StackClauses] : new AcceptClause[count];
        var n = AcceptClause.Parse(header, clauses);
        AcceptClause.Sort(header, clauses[..n]);
        foreach (var clause in clauses[..n])
        {
            for (var kind = MediaKind.Json; kind <= MediaKind.Protobuf; kind++)
            {
                if (clause.Matches(header, kind) && clause.TryOptions(header, kind, resource, out media))
                    return true;
            }
        }
        media = NegotiatedMedia.Json;
        return false;
    }

    /// <summary>Negotiates the first value of the request's Accept header (Go's Header.Get).</summary>
    public static bool TryNegotiate(HttpRequest request, bool resource, out NegotiatedMedia media)
    {
        var values = request.Headers.Accept;
        return TryNegotiate(values.Count > 0 ? values[0] : null, resource, out media);
    }

    private static int CountParts(ReadOnlySpan<char> header) => header.Count(',') + 1;
}
