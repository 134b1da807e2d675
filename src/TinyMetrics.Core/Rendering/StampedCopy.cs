using System.Buffers;

namespace TinyMetrics.Rendering;

/// <summary>Copies pre-rendered bytes while writing the request time over each item's creationTimestamp placeholder.</summary>
internal static class StampedCopy
{
    // Copies source[start, end) in chunks as large as the output offers, writing `now` over every placeholder
    // (stamps[k], now.Length bytes) from stamp index `stamp` on; a placeholder may straddle two chunks.
    public static void Copy(IBufferWriter<byte> output, ReadOnlySpan<byte> source, int start, int end, int[] stamps, int stamp, ReadOnlySpan<byte> now)
    {
        var pos = start;
        while (pos < end)
        {
            var destination = output.GetSpan(Math.Min(end - pos, 65536));
            var n = Math.Min(destination.Length, end - pos);
            source.Slice(pos, n).CopyTo(destination);
            var chunkEnd = pos + n;
            for (var k = stamp; k < stamps.Length && stamps[k] < chunkEnd; k++)
            {
                var from = Math.Max(stamps[k], pos);
                var to = Math.Min(stamps[k] + now.Length, chunkEnd);
                now[(from - stamps[k])..(to - stamps[k])].CopyTo(destination[(from - pos)..]);
                if (stamps[k] + now.Length <= chunkEnd)
                    stamp = k + 1;
            }
            output.Advance(n);
            pos = chunkEnd;
        }
    }
}
