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
        var capacity = Capacity(header);
        Span<AcceptClause> clauses = capacity <= StackClauses ? stackalloc AcceptClause[StackClauses] : new AcceptClause[capacity];
        foreach (var clause in Ordered(header, clauses))
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

    /// <summary>Clauses stackalloc'ed up to this many; a longer header (rare) gets an array.</summary>
    public const int StackClauses = 16;

    /// <summary>How many clauses <paramref name="header"/> can hold at most: the span <see cref="Ordered"/> needs.</summary>
    public static int Capacity(ReadOnlySpan<char> header) => header.Count(',') + 1;

    /// <summary>The clauses of <paramref name="header"/> parsed into <paramref name="clauses"/> and ordered as goautoneg's ParseAccept orders them.</summary>
    public static Span<AcceptClause> Ordered(ReadOnlySpan<char> header, Span<AcceptClause> clauses)
    {
        var n = AcceptClause.Parse(header, clauses);
        AcceptClause.Sort(header, clauses[..n]);
        return clauses[..n];
    }
}
