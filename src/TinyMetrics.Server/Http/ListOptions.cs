using System.Globalization;
using System.Text;
using TinyMetrics.Rendering;
using TinyMetrics.Selectors;

namespace TinyMetrics.Http;

/// <summary>
/// The list options of a list request, decoded and validated as upstream's list handler does
/// (k8s.io/apiserver <c>handlers/get.go</c> listOpts: the query converted to metav1.ListOptions, every
/// parameter taking its first value; then ValidateListOptions). A failure is the Status to answer.
/// </summary>
internal readonly record struct ListOptions(bool Watch, LabelSelector Labels, FieldSelector Fields)
{
    /// <summary>The first value of a query parameter, as Go's conversion of url.Values reads it; null when absent.</summary>
    public static string? First(IQueryCollection query, string key) =>
        query.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Go's Convert_Slice_string_To_bool: present and neither "0" nor "false" (any case) is true, "" included.</summary>
    public static bool IsWatch(IQueryCollection query) =>
        First(query, "watch") is { } value && value != "0" && !value.Equals("false", StringComparison.OrdinalIgnoreCase);

    public static bool TryDecode(IQueryCollection query, out ListOptions options, out StatusResponse error)
    {
        options = default;
        error = default;
        // Conversion order of metav1.ListOptions: integers first, then the selectors.
        if (!IsInteger(First(query, "timeoutSeconds"), out var message) || !IsInteger(First(query, "limit"), out message))
        {
            error = KubeStatus.BadRequest(message);
            return false;
        }
        if (!LabelSelector.TryParse(First(query, "labelSelector"), out var labels, out var labelError))
        {
            error = KubeStatus.BadRequest(labelError);
            return false;
        }
        var watch = IsWatch(query);
        var causes = Validate(query, watch);
        if (causes is not null)
        {
            error = KubeStatus.Invalid("meta.k8s.io", "ListOptions", [.. causes]);
            return false;
        }
        if (!FieldSelector.TryParse(First(query, "fieldSelector"), out var fields, out var fieldError))
        {
            error = KubeStatus.BadRequest(fieldError);
            return false;
        }
        options = new ListOptions(watch, labels, fields);
        return true;
    }

    /// <summary>Whether the integer options decode (the request info falls back to no name when they do not).</summary>
    public static bool IntegersDecode(IQueryCollection query) =>
        IsInteger(First(query, "timeoutSeconds"), out _) && IsInteger(First(query, "limit"), out _);

    // Go's strconv.ParseInt(s, 10, 64), with its error text.
    private static bool IsInteger(string? text, out string message)
    {
        message = "";
        if (text is null || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return true;
        var digits = text.AsSpan(text.Length > 0 && text[0] is '+' or '-' ? 1 : 0);
        var outOfRange = digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9');
        message = $"strconv.ParseInt: parsing {GoQuote(text)}: " + (outOfRange ? "value out of range" : "invalid syntax");
        return false;
    }

    // metainternalversion/validation ValidateListOptions and validateWatchOptions.
    private static List<StatusCause>? Validate(IQueryCollection query, bool watch)
    {
        List<StatusCause>? causes = null;
        var match = First(query, "resourceVersionMatch") ?? "";
        var version = First(query, "resourceVersion") ?? "";
        var hasContinue = !string.IsNullOrEmpty(First(query, "continue"));
        var sendInitialEvents = First(query, "sendInitialEvents") is not null;
        if (watch)
        {
            if (sendInitialEvents && match != "NotOlderThan")
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            if (match.Length > 0 && !sendInitialEvents)
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            if (match.Length > 0 && match != "NotOlderThan")
                (causes ??= []).Add(NotSupported("resourceVersionMatch", match, "\"NotOlderThan\""));
            if (match.Length > 0 && hasContinue)
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            return causes;
        }
        if (match.Length > 0)
        {
            if (version.Length == 0)
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            if (hasContinue)
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            if (match is not ("Exact" or "NotOlderThan"))
                (causes ??= []).Add(NotSupported("resourceVersionMatch", match, "\"Exact\", \"NotOlderThan\", \"\""));
            if (match == "Exact" && version == "0")
                (causes ??= []).Add(Forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
        }
        if (sendInitialEvents)
            (causes ??= []).Add(Forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        return causes;
    }

    private static StatusCause Forbidden(string field, string detail) => new("FieldValueForbidden", "Forbidden: " + detail, field);

    private static StatusCause NotSupported(string field, string value, string supported) =>
        new("FieldValueNotSupported", $"Unsupported value: {GoQuote(value)}: supported values: {supported}", field);

    // Go's %q: backslash and quote escaped, control characters as \x, \n, \t; printable text kept.
    private static string GoQuote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' or '\\' => builder.Append('\\').Append(c),
                '\n' => builder.Append("\\n"),
                '\t' => builder.Append("\\t"),
                '\r' => builder.Append("\\r"),
                < ' ' or '\x7f' => builder.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }
        return builder.Append('"').ToString();
    }
}
