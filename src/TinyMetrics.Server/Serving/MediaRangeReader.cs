using System.Globalization;

namespace TinyMetrics.Serving;

/// <summary>
/// Reads an Accept header range by range without allocating: "type/subtype;name=value;q=0.5, ...". Callers keep
/// the acceptable range with the highest q, the first one on a tie, which is the order Go's goautoneg sorts into.
/// </summary>
internal ref struct MediaRangeReader
{
    private ReadOnlySpan<char> _rest;

    public MediaRangeReader(ReadOnlySpan<char> accept) => _rest = accept;

    /// <summary>type/subtype of the current range, trimmed.</summary>
    public ReadOnlySpan<char> MediaType { get; private set; }

    /// <summary>The current range's parameters after its media type (";a=b;c=d"), q included.</summary>
    public ReadOnlySpan<char> Parameters { get; private set; }

    public double Quality { get; private set; }

    public bool MoveNext()
    {
        while (_rest.Length > 0)
        {
            var comma = _rest.IndexOf(',');
            var range = comma < 0 ? _rest : _rest[..comma];
            _rest = comma < 0 ? [] : _rest[(comma + 1)..];
            var semicolon = range.IndexOf(';');
            MediaType = (semicolon < 0 ? range : range[..semicolon]).Trim();
            if (MediaType.IsEmpty)
                continue;
            Parameters = semicolon < 0 ? [] : range[semicolon..];
            var q = Parameter(Parameters, "q");
            Quality = q.IsEmpty ? 1 : double.TryParse(q, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
            return true;
        }
        return false;
    }

    /// <summary>The value of parameter <paramref name="name"/> in <paramref name="parameters"/>; empty when absent.</summary>
    public static ReadOnlySpan<char> Parameter(ReadOnlySpan<char> parameters, string name)
    {
        while (parameters.Length > 0)
        {
            parameters = parameters[1..];
            var next = parameters.IndexOf(';');
            var pair = next < 0 ? parameters : parameters[..next];
            parameters = next < 0 ? [] : parameters[next..];
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                return pair[(equals + 1)..].Trim();
        }
        return [];
    }

    /// <summary>Whether <paramref name="mediaType"/> is application/json, application/* or */*.</summary>
    public static bool CoversJson(ReadOnlySpan<char> mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Equals("application/*", StringComparison.Ordinal)
        || mediaType.Equals("*/*", StringComparison.Ordinal);
}
