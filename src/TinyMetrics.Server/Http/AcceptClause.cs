using System.Globalization;

namespace TinyMetrics.Http;

/// <summary>
/// One media range of an Accept header as goautoneg's ParseAccept reads it, held as offsets into the header:
/// type and subtype trimmed of spaces, <c>q</c> (1 by default, 0 when unparsable) and the raw parameter text.
/// </summary>
internal readonly struct AcceptClause
{
    private readonly int _typeStart, _typeLength, _subStart, _subLength, _paramStart, _paramLength;

    private AcceptClause(int typeStart, int typeLength, int subStart, int subLength, int paramStart, int paramLength, float q)
    {
        (_typeStart, _typeLength, _subStart, _subLength, _paramStart, _paramLength) = (typeStart, typeLength, subStart, subLength, paramStart, paramLength);
        Q = q;
    }

    public float Q { get; }

    /// <summary>Parses every clause of <paramref name="header"/> into <paramref name="clauses"/>; returns how many.</summary>
    public static int Parse(ReadOnlySpan<char> header, Span<AcceptClause> clauses)
    {
        var n = 0;
        var start = 0;
        while (start <= header.Length)
        {
            var end = header[start..].IndexOf(',') is var comma and >= 0 ? start + comma : header.Length;
            if (TryParsePart(header, start, end, out var clause))
                clauses[n++] = clause;
            start = end + 1;
        }
        return n;
    }

    // goautoneg's Less, which sort.Sort applies with an insertion sort for the short lists clients send.
    public static void Sort(ReadOnlySpan<char> header, Span<AcceptClause> clauses)
    {
        for (var i = 1; i < clauses.Length; i++)
        {
            for (var j = i; j > 0 && Less(header, clauses[j], clauses[j - 1]); j--)
                (clauses[j], clauses[j - 1]) = (clauses[j - 1], clauses[j]);
        }
    }

    public bool Matches(ReadOnlySpan<char> header, MediaKind kind)
    {
        var type = Type(header);
        var sub = SubType(header);
        if (type is "*" && sub is "*")
            return true;
        if (type is not "application")
            return false;
        return sub is "*" || sub.SequenceEqual(kind switch { MediaKind.Yaml => "yaml", MediaKind.Protobuf => "vnd.kubernetes.protobuf", _ => "json" });
    }

    /// <summary>The trimmed value of parameter <paramref name="name"/> (case-insensitive, as Go's map of parsed params), empty when absent.</summary>
    public ReadOnlySpan<char> Parameter(ReadOnlySpan<char> header, string name)
    {
        var parameters = header.Slice(_paramStart, _paramLength);
        foreach (var range in parameters.Split(';'))
        {
            var param = parameters[range];
            var eq = param.IndexOf('=');
            if (eq >= 0 && param[..eq].Trim(' ').Equals(name, StringComparison.OrdinalIgnoreCase))
                return param[(eq + 1)..].Trim(' ');
        }
        return [];
    }

    /// <summary>acceptMediaTypeOptions followed by the endpoint's AllowsMediaTypeTransform.</summary>
    public bool TryOptions(ReadOnlySpan<char> header, MediaKind kind, bool resource, out NegotiatedMedia media)
    {
        media = default;
        var parameters = header.Slice(_paramStart, _paramLength);
        ReadOnlySpan<char> asKind = default, group = default, version = default;
        bool convert = false, pretty = false;
        foreach (var range in parameters.Split(';'))
        {
            var param = parameters[range];
            var eq = param.IndexOf('=');
            if (eq < 0)
                continue;
            var token = param[..eq].Trim(' ');
            var value = param[(eq + 1)..].Trim(' ');
            switch (token)
            {
                case "as":
                    asKind = value;
                    convert = true;
                    break;
                case "g":
                    group = value;
                    convert = true;
                    break;
                case "v":
                    version = value;
                    convert = true;
                    break;
                case "stream" when value.Length > 0 && (kind == MediaKind.Yaml || value is not "watch"): return false;
                case "sv" when value.Length > 0 && !(resource && value is "v1"): return false;
                case "pretty":
                    pretty = value is "1";
                    break;
            }
        }
        var conversion = Conversion.None;
        if (convert && !TryConversion(kind, resource, asKind, group, version, out conversion))
            return false;
        media = new NegotiatedMedia(kind, conversion, version is "v1beta1", pretty);
        return true;
    }

    // RequestScope.AllowsMediaTypeTransform; the default restrictions (resource false) allow no conversion.
    private static bool TryConversion(MediaKind kind, bool resource, ReadOnlySpan<char> asKind, ReadOnlySpan<char> group, ReadOnlySpan<char> version, out Conversion conversion)
    {
        conversion = Conversion.None;
        if (!resource || group is not "meta.k8s.io" || version is not ("v1" or "v1beta1"))
            return false;
        conversion = asKind switch
        {
            "Table" when kind != MediaKind.Protobuf => Conversion.Table,
            "PartialObjectMetadata" => Conversion.PartialObjectMetadata,
            "PartialObjectMetadataList" => Conversion.PartialObjectMetadataList,
            _ => Conversion.None,
        };
        return conversion != Conversion.None;
    }

    private static bool Less(ReadOnlySpan<char> header, AcceptClause a, AcceptClause b)
    {
        if (a.Q > b.Q)
            return true;
        if (a.Type(header) is not "*" && b.Type(header) is "*")
            return true;
        return a.SubType(header) is not "*" && b.SubType(header) is "*";
    }

    private ReadOnlySpan<char> Type(ReadOnlySpan<char> header) => header.Slice(_typeStart, _typeLength);

    private ReadOnlySpan<char> SubType(ReadOnlySpan<char> header) => header.Slice(_subStart, _subLength);

    private static bool TryParsePart(ReadOnlySpan<char> header, int start, int end, out AcceptClause clause)
    {
        clause = default;
        var part = header[start..end];
        var semi = part.IndexOf(';');
        var range = semi < 0 ? part : part[..semi];
        var slash = range.IndexOf('/');
        if (slash >= 0 && range[(slash + 1)..].Contains('/'))
            return false;
        var (typeStart, typeLength) = Trimmed(range, slash < 0 ? range.Length : slash, 0);
        int subStart, subLength;
        if (slash >= 0)
            (subStart, subLength) = Trimmed(range[(slash + 1)..], range.Length - slash - 1, slash + 1);
        else if (range.Slice(typeStart, typeLength) is "*")
            (subStart, subLength) = (typeStart, typeLength);
        else
            return false;
        var paramStart = semi < 0 ? part.Length : semi + 1;
        clause = new AcceptClause(start + typeStart, typeLength, start + subStart, subLength, start + paramStart, part.Length - paramStart, ParseQ(part[paramStart..]));
        return true;
    }

    // Offset and length of text[..length] trimmed of spaces, relative to the part (offset `at`).
    private static (int Start, int Length) Trimmed(ReadOnlySpan<char> text, int length, int at)
    {
        var s = text[..length];
        var lead = s.Length - s.TrimStart(' ').Length;
        return (at + lead, s.Trim(' ').Length);
    }

    // The last q= wins, as the map assignment in ParseAccept; Go's ParseFloat yields 0 on error.
    private static float ParseQ(ReadOnlySpan<char> parameters)
    {
        var q = 1f;
        foreach (var range in parameters.Split(';'))
        {
            var param = parameters[range];
            var eq = param.IndexOf('=');
            if (eq < 0 || param[..eq].Trim(' ') is not "q")
                continue;
            q = float.TryParse(param[(eq + 1)..], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0f;
        }
        return q;
    }
}
