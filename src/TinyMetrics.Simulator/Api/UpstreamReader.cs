using System.Text;

namespace TinyMetrics.Simulator.Api;

/// <summary>Buffered reads of an HTTP/1.1 response: header lines, then raw, length-limited or chunked body bytes.</summary>
internal sealed class UpstreamReader
{
    private const int MaxLine = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public UpstreamReader(Stream stream) => _stream = stream;

    /// <summary>One line without its CRLF, or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end && !await FillAsync(ct))
                return line.Length == 0 ? null : line.ToString();
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span.Length : newline;
            line.Append(Encoding.Latin1.GetString(span[..take]));
            _start += newline < 0 ? take : take + 1;
            if (newline >= 0)
                return line.ToString().TrimEnd('\r');
            if (line.Length > MaxLine)
                throw new InvalidDataException("upstream header line too long");
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes; 0 at end of stream.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (_start == _end)
            return await _stream.ReadAsync(destination, ct);
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsMemory(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    /// <summary>Copies the body to <paramref name="output"/>, flushing after each piece so streams stay live.</summary>
    public async Task CopyBodyAsync(Stream output, long? contentLength, bool chunked, CancellationToken ct)
    {
        if (chunked)
        {
            while (await ReadLineAsync(ct) is { } sizeLine)
            {
                var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                    return;
                await CopyExactlyAsync(output, size, ct);
                await ReadLineAsync(ct);
            }
            return;
        }
        await CopyExactlyAsync(output, contentLength ?? long.MaxValue, ct);
    }

    private async Task CopyExactlyAsync(Stream output, long count, CancellationToken ct)
    {
        var chunk = new byte[16 * 1024];
        while (count > 0)
        {
            var read = await ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, count)), ct);
            if (read == 0)
                return;
            await output.WriteAsync(chunk.AsMemory(0, read), ct);
            await output.FlushAsync(ct);
            count -= read;
        }
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, ct);
        return _end > 0;
    }
}
