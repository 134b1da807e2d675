using TinyMetrics.Rendering;

namespace TinyMetrics.Serving;

/// <summary>How a response is rendered: compact JSON, pretty JSON (?pretty or curl/wget/browser), or a Table.</summary>
internal readonly record struct ResponseFormat(bool Pretty, bool Table, TableIncludeObject IncludeObject)
{
    public static ResponseFormat From(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        var table = accept.Contains("as=Table", StringComparison.Ordinal);
        MetricsTable.TryParseIncludeObject(Http.ListOptions.First(request.Query, "includeObject"), out var include, out _);
        return new ResponseFormat(IsPretty(request), table, include);
    }

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
