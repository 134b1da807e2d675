using k8s.Authentication;

namespace TinyMetrics.Kube;

/// <summary>Supplies the bearer token for each request; implementations cache and refresh it themselves.</summary>
public interface IBearerTokenSource
{
    /// <summary>The current token, or null when none is available (the request then goes without one).</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>A token written into the kubeconfig; it never changes.</summary>
public sealed class StaticTokenSource : IBearerTokenSource
{
    private readonly string _token;

    public StaticTokenSource(string token) => _token = token;

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(_token);
}

/// <summary>Wraps a kubeconfig token provider (tokenFile, exec, OIDC), which caches and refreshes on its own.</summary>
public sealed class ProviderTokenSource : IBearerTokenSource
{
    private readonly ITokenProvider _provider;

    public ProviderTokenSource(ITokenProvider provider) => _provider = provider;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var header = await _provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        return header?.Parameter;
    }
}

/// <summary>
/// A token read from a file that the kubelet rotates (the projected service-account token).
/// The file's mtime is checked at most once per <see cref="StatInterval"/>, and the file is
/// re-read when the mtime changed or <see cref="MaxAge"/> passed, so a rotated token is picked
/// up within seconds without a stat per request.
/// </summary>
/// <remarks>
/// Not a <see cref="ReloadableFiles{T}"/>: the token is read when a request needs it rather than on a
/// timer, a missing file at start means "no token yet" rather than a start-up failure, and an emptied
/// file (a rotation in progress) is skipped silently rather than warned about.
/// </remarks>
public sealed class FileTokenSource : IBearerTokenSource
{
    public static readonly TimeSpan StatInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    // Guarded by _lock: requests on many threads ask at once. The token itself is never logged.
    private string? _token;
    private DateTime _mtime;
    private long _lastStat = long.MinValue;
    private long _lastRead = long.MinValue;

    public FileTokenSource(string path, TimeProvider time)
    {
        _path = path;
        _time = time;
    }

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(GetToken());

    public string? GetToken()
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_token is not null && _time.GetElapsedTime(_lastStat, now) < StatInterval)
                return _token;
            _lastStat = now;
            var mtime = ReadMtime();
            if (_token is null || mtime != _mtime || _time.GetElapsedTime(_lastRead, now) >= MaxAge)
                Reload(mtime, now);
            return _token;
        }
    }

    private DateTime ReadMtime()
    {
        try
        {
            return File.GetLastWriteTimeUtc(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    private void Reload(DateTime mtime, long now)
    {
        try
        {
            var text = File.ReadAllText(_path).Trim();
            // An empty file is a rotation in progress: keep the previous token.
            if (text.Length > 0)
                _token = text;
            _mtime = mtime;
            _lastRead = now;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Unreadable for a moment (mid-rotation): keep the previous token and try at the next stat.
        }
    }
}
