namespace TinyMetrics.Scraping;

/// <summary>
/// One worker's reusable body buffer. It starts near one typical kubelet body and grows (doubling)
/// only as far as the cap, so a steady cluster allocates nothing per scrape.
/// </summary>
internal sealed class ScrapeBuffer
{
    private const int InitialSize = 64 * 1024;

    private byte[] _buffer = new byte[InitialSize];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Body => _buffer.AsSpan(0, Length);

    /// <summary>Reads the whole stream; false (with the buffer truncated) when it exceeds <paramref name="maxBytes"/>.</summary>
    public async Task<bool> ReadFromAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        Length = 0;
        while (true)
        {
            if (Length == _buffer.Length)
            {
                if (_buffer.Length > maxBytes)
                    return false;
                Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, (long)maxBytes + 1));
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(Length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return true;
            Length += read;
            if (Length > maxBytes)
                return false;
        }
    }
}
