using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ZLogger;

namespace TinyMetrics.Kube;

/// <summary>
/// A value parsed from one or more files, re-read when their content changes: the serving and SNI
/// certificates, the client and request-header CAs, the kubelet CA and client certificate. Content is
/// compared, not mtimes: a Kubernetes secret mount swaps a symlink, keeps sizes and may keep mtimes, and
/// reading a few KiB every few seconds is cheap. A change that does not parse (a half-written file, a key
/// that does not match) keeps the current value; it is retried when the content changes again.
/// </summary>
/// <remarks>
/// One writer checks the files: the loop <see cref="Start"/> runs, or the loop of an owner that combines
/// several files into one value (the authentication trust) and calls <see cref="Check"/> itself. A
/// <see cref="PeriodicTimer"/> never runs two checks at once, so no lock is needed; readers load
/// <see cref="Current"/> once per use and the writer publishes with one volatile write.
/// </remarks>
public sealed class ReloadableFiles<T> : IDisposable where T : class
{
    private readonly string _name;
    private readonly string[] _paths;
    private readonly Func<byte[][], T> _parse;
    private readonly Action<ILogger>? _announce;
    private T _current;
    private byte[] _fingerprint;
    private byte[]? _rejected;
    private PeriodicTimer? _timer;

    /// <summary>Reads and parses the files now; a failure throws <see cref="InvalidDataException"/> naming <paramref name="name"/>.</summary>
    /// <param name="name">What the files hold, for messages ("serving certificate").</param>
    /// <param name="paths">The files, read in this order and handed to <paramref name="parse"/> as their bytes.</param>
    /// <param name="parse">Builds the value from the files' bytes; throws when they are not usable.</param>
    /// <param name="announce">
    /// Logs a published reload, for files whose upstream counterpart has a line operators grep (the
    /// dynamiccertificates controllers'); null logs this type's own "Reloaded" line.
    /// </param>
    public ReloadableFiles(string name, string[] paths, Func<byte[][], T> parse, Action<ILogger>? announce = null)
    {
        _name = name;
        _paths = paths;
        _parse = parse;
        _announce = announce;
        byte[][] contents;
        try
        {
            contents = ReadAll();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{name}: {ex.Message}", ex);
        }
        _fingerprint = Fingerprint(contents);
        if (!TryParse(contents, out var value, out var error))
            throw new InvalidDataException($"{name} ({string.Join(", ", paths)}): {error}");
        _current = value;
    }

    /// <summary>The last value that parsed.</summary>
    public T Current => Volatile.Read(ref _current);

    /// <summary>Raised on the checking thread after a new value is published.</summary>
    public event Action<T>? Changed;

    /// <summary>Checks the files every <paramref name="interval"/> from now on, until disposed.</summary>
    public void Start(TimeProvider time, TimeSpan interval, ILogger logger)
    {
        _timer = new PeriodicTimer(interval, time);
        _ = CheckEveryTickAsync(_timer, logger);
    }

    /// <summary>Re-reads the files; true when a new value was published. Called by one writer at a time.</summary>
    public bool Check(ILogger logger)
    {
        byte[][] contents;
        try
        {
            contents = ReadAll();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Mid-swap a file can be missing for a moment; the next check sees the settled state.
            logger.ReloadReadFailed(_name, ex.Message);
            return false;
        }
        var fingerprint = Fingerprint(contents);
        if (fingerprint.AsSpan().SequenceEqual(_fingerprint) || fingerprint.AsSpan().SequenceEqual(_rejected))
            return false;
        if (!TryParse(contents, out var value, out var error))
        {
            _rejected = fingerprint;
            logger.ReloadRejected(_name, string.Join(", ", _paths), error);
            return false;
        }
        _fingerprint = fingerprint;
        _rejected = null;
        Volatile.Write(ref _current, value);
        if (_announce is null)
            logger.Reloaded(_name, string.Join(", ", _paths));
        else
            _announce(logger);
        Changed?.Invoke(value);
        return true;
    }

    /// <summary>Stops the checks <see cref="Start"/> began; the loop ends at its next wait.</summary>
    public void Dispose() => _timer?.Dispose();

    private async Task CheckEveryTickAsync(PeriodicTimer timer, ILogger logger)
    {
        while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
        {
            try
            {
                Check(logger);
            }
            catch (Exception ex)
            {
                // A check that fails in a way nobody foresaw keeps the current value and the loop alive.
                logger.ReloadReadFailed(_name, ex.Message);
            }
        }
    }

    private byte[][] ReadAll()
    {
        var contents = new byte[_paths.Length][];
        for (var i = 0; i < _paths.Length; i++)
            contents[i] = File.ReadAllBytes(_paths[i]);
        return contents;
    }

    private bool TryParse(byte[][] contents, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value, out string error)
    {
        try
        {
            value = _parse(contents);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException or InvalidDataException)
        {
            // Exception messages from the parsers name the problem, never the file's content.
            value = null;
            error = ex.Message;
            return false;
        }
    }

    private static byte[] Fingerprint(byte[][] contents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var content in contents)
        {
            // The length separates the files, so moving bytes from one to the next changes the fingerprint.
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, content.Length);
            hash.AppendData(length);
            hash.AppendData(content);
        }
        return hash.GetHashAndReset();
    }
}

internal static partial class ReloadLog
{
    [ZLoggerMessage(4001, LogLevel.Information, "Reloaded {name} from {files}")]
    public static partial void Reloaded(this ILogger logger, string name, string files);

    [ZLoggerMessage(4002, LogLevel.Warning, "Keeping the current {name}: the new content of {files} is not usable: {reason}")]
    public static partial void ReloadRejected(this ILogger logger, string name, string files, string reason);

    [ZLoggerMessage(4003, LogLevel.Warning, "Could not read {name} files, keeping the current one: {reason}")]
    public static partial void ReloadReadFailed(this ILogger logger, string name, string reason);
}
