using System.Buffers;

namespace TinyMetrics.Scraping;

/// <summary>
/// One response body in a pooled array, held only from the first body byte until it is parsed, so a
/// request still waiting for a slow kubelet pins no buffer. Dispose returns the array.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private byte[] _array;

    public PooledBody(long? contentLength) =>
        _array = ArrayPool<byte>.Shared.Rent(contentLength is > 0 and < InitialSize * 16 ? (int)contentLength.Value + 1 : InitialSize);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _array.AsSpan(0, Length);

    /// <summary>Reads the whole stream; false when it exceeds <paramref name="maxBytes"/> (reading stops there).</summary>
    public async Task<bool> ReadFromAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (Length == _array.Length)
            {
                if (Length > maxBytes)
                    return false;
                Grow((int)Math.Min((long)_array.Length * 2, (long)maxBytes + 1));
            }
            var read = await stream.ReadAsync(_array.AsMemory(Length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return true;
            Length += read;
            if (Length > maxBytes)
                return false;
        }
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }

    private void Grow(int size)
    {
        var next = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, Length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_array);
        _array = next;
    }
}
