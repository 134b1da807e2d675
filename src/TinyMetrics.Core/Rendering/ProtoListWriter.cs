using System.Buffers;
using System.IO.Pipelines;
using TinyMetrics.Selectors;

namespace TinyMetrics.Rendering;

/// <summary>
/// Writes a protobuf list from <see cref="ProtoItems"/>: the envelope's raw length comes first, so a first pass
/// sums the lengths of the matching runs, then the runs are copied in flushed batches.
/// </summary>
internal static class ProtoListWriter
{
    // Items per flush: about 64-256 KB of typical items, as the JSON lists.
    private const int ItemsPerFlush = 512;

    public static async ValueTask<int> WriteAsync(
        PipeWriter output, ProtoItems items, bool isPods, ApiVersion version, int from, int to, ItemFilter filter, long nowUnixNs, CancellationToken cancellationToken)
    {
        var now = ArrayPool<byte>.Shared.Rent(MetricsProto.StampLength);
        try
        {
            using (filter)
            {
                MetricsProto.FormatStamp(MetricsProto.Stamp(nowUnixNs), now);
                var raw = ProtoEnvelope.EmptyListMeta.Length + MatchingLength(items, from, to, filter);
                ProtoEnvelope.WriteHeader(output, ProtoEnvelope.GroupVersion(version), isPods ? "PodMetricsList"u8 : "NodeMetricsList"u8, raw);
                output.Write(ProtoEnvelope.EmptyListMeta);
                var count = 0;
                for (var batch = from; batch < to; batch += ItemsPerFlush)
                {
                    count += WriteRuns(output, items, batch, Math.Min(to, batch + ItemsPerFlush), filter, now.AsSpan(0, MetricsProto.StampLength));
                    var result = await output.FlushAsync(cancellationToken);
                    if (result.IsCompleted || result.IsCanceled)
                        return count;
                }
                output.Write(ProtoEnvelope.Footer);
                return count;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(now);
        }
    }

    private static long MatchingLength(ProtoItems items, int from, int to, ItemFilter filter)
    {
        if (filter.IsEmpty)
            return items.RangeLength(from, to);
        long length = 0;
        for (var i = from; i < to; i++)
        {
            if (filter.Matches(i))
                length += items.RangeLength(i, i + 1);
        }
        return length;
    }

    // Copies the matching items of [from, to) as runs of consecutive matches, one copy per run.
    private static int WriteRuns(IBufferWriter<byte> output, ProtoItems items, int from, int to, ItemFilter filter, ReadOnlySpan<byte> now)
    {
        if (filter.IsEmpty)
        {
            items.WriteRange(output, from, to, now);
            return to - from;
        }
        var written = 0;
        var i = from;
        while (i < to)
        {
            if (!filter.Matches(i))
            {
                i++;
                continue;
            }
            var runStart = i;
            while (i < to && filter.Matches(i))
                i++;
            items.WriteRange(output, runStart, i, now);
            written += i - runStart;
        }
        return written;
    }
}
