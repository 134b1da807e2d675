namespace TinyMetrics.Kube;

/// <summary>
/// A token read from a file that the kubelet rotates (the projected service-account token).
/// The file's mtime is checked at most once per <see cref="StatInterval"/>, and the file is
/// re-read when the mtime changed or <see cref="MaxAge"/> passed, so a rotated token is picked
/// up within seconds without a stat per request.
/// </summary>
public sealed class FileTokenSource : IBearerTokenSource
{
    public static readonly TimeSpan StatInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    // Guarded by _lock; the token itself is never logged.
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
        catch (IOException)
        {
            return default;
        }
        catch (UnauthorizedAccessException)
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
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
