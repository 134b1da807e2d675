namespace TinyMetrics.Security;

/// <summary>
/// --authorization-always-allow-paths as upstream's path authorizer: exact paths, or a prefix when the
/// entry ends with '*'. These paths skip authorization; authentication still runs first.
/// </summary>
internal sealed class AlwaysAllowPaths
{
    private readonly string[] _exact;
    private readonly string[] _prefixes;

    public AlwaysAllowPaths(string[] paths)
    {
        var exact = new List<string>();
        var prefixes = new List<string>();
        foreach (var p in paths)
        {
            var path = p.Trim();
            if (path.Length == 0)
                continue;
            if (path.EndsWith('*'))
                prefixes.Add(path.TrimEnd('*'));
            else
                exact.Add(path);
        }
        _exact = [.. exact];
        _prefixes = [.. prefixes];
    }

    public bool Allows(string path)
    {
        foreach (var e in _exact)
        {
            if (string.Equals(e, path, StringComparison.Ordinal))
                return true;
        }
        foreach (var prefix in _prefixes)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
