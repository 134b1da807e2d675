namespace TinyMetrics.Kube.Tests;

/// <summary>A request as the loopback test server read it: request line and headers (no body).</summary>
public sealed record TestRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => Target.Split('?')[0];

    public string? Query(string name)
    {
        var q = Target.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
            return null;
        foreach (var part in Target[(q + 1)..].Split('&'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            if (key == name)
                return eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
        }
        return null;
    }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
