using System.Globalization;

namespace TinyMetrics.Simulator.Api;

/// <summary>The parsed query of a list or watch request.</summary>
internal sealed record ListQuery(
    string? Namespace,
    LabelSelector Labels,
    FieldSelector Fields,
    RenderMode Mode,
    bool IncludeFullObject,
    int Limit,
    string? Continue,
    bool Watch,
    string? ResourceVersion,
    int TimeoutSeconds,
    bool AllowBookmarks,
    bool SendInitialEvents)
{
    /// <summary>Watch duration when the client gives no timeoutSeconds (kube-apiserver picks 30–60 min).</summary>
    public const int DefaultWatchSeconds = 1800;

    public static ListQuery? TryParse(HttpRequest request, string? ns, bool forPods, out string error)
    {
        var q = request.Query;
        if (!LabelSelector.TryParse(q["labelSelector"], out var labels, out error)
            || !FieldSelector.TryParse(q["fieldSelector"], forPods, out var fields, out error))
            return null;
        var watch = q["watch"].ToString() is "true" or "1" or "True";
        return new ListQuery(ns, labels, fields, RenderModes.FromAccept(request),
            q["includeObject"] == "Object",
            Int(q["limit"], 0),
            NullIfEmpty(q["continue"]),
            watch,
            NullIfEmpty(q["resourceVersion"]),
            Int(q["timeoutSeconds"], DefaultWatchSeconds),
            q["allowWatchBookmarks"].ToString() is "true" or "1",
            q["sendInitialEvents"].ToString() is "true" or "1");
    }

    private static int Int(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
