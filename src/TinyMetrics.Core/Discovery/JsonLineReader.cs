namespace TinyMetrics.Discovery;

internal delegate bool LineHandler(ReadOnlySpan<byte> line);

internal enum LineReadEnd
{
    EndOfStream,
    Stopped,
    Oversize,
}

/// <summary>
/// Splits a streamed watch response into newline-delimited events without holding more than one
/// event (bounded by <c>maxLineBytes</c>) in memory. Not thread-safe: one per watcher.
/// </summary>
internal sealed class JsonLineReader
{
    private const int InitialSize = 64 * 1024;

    private readonly int _maxLineBytes;
    private readonly int _initialSize;
    private byte[] _buffer;

    public JsonLineReader(int maxLineBytes)
    {
        _maxLineBytes = maxLineBytes;
        _initialSize = Math.Min(InitialSize, maxLineBytes);
        _buffer = new byte[_initialSize];
    }

    public async Task<LineReadEnd> ReadAsync(Stream stream, LineHandler handler, CancellationToken cancellationToken)
    {
        int start = 0, end = 0, scanned = 0;
        try
        {
            while (true)
            {
                if (end == _buffer.Length && !MakeRoom(ref start, ref end, ref scanned))
                    return LineReadEnd.Oversize;
                var read = await stream.ReadAsync(_buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    return LineReadEnd.EndOfStream;
                end += read;
                if (!DispatchLines(handler, ref start, end, ref scanned))
                    return LineReadEnd.Stopped;
                if (start == end)
                    start = end = scanned = 0;
            }
        }
        finally
        {
            // One huge event must not pin megabytes for the life of the process.
            if (_buffer.Length > _initialSize)
                _buffer = new byte[_initialSize];
        }
    }

    private bool DispatchLines(LineHandler handler, ref int start, int end, ref int scanned)
    {
        while (true)
        {
            var idx = _buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n');
            if (idx < 0)
            {
                scanned = end;
                return true;
            }
            var lineEnd = scanned + idx;
            var line = _buffer.AsSpan(start, lineEnd - start);
            start = scanned = lineEnd + 1;
            if (!line.Trim((byte)'\r').IsEmpty && !handler(line))
                return false;
        }
    }

    private bool MakeRoom(ref int start, ref int end, ref int scanned)
    {
        if (start > 0)
        {
            _buffer.AsSpan(start, end - start).CopyTo(_buffer);
            end -= start;
            scanned -= start;
            start = 0;
            return true;
        }
        if (_buffer.Length >= _maxLineBytes)
            return false;
        Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxLineBytes));
        return true;
    }
}
