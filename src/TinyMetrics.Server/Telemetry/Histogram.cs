using System.Globalization;
using System.Text;

namespace TinyMetrics.Telemetry;

/// <summary>
/// A Prometheus histogram with fixed upper bounds. Observations are lock-free (one interlocked
/// increment and a CAS on the sum); a scrape of /metrics may see a bucket a moment ahead of the
/// sum, as with every Prometheus client.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumBits;

    public Histogram(double[] upperBounds)
    {
        _bounds = upperBounds;
        _counts = new long[upperBounds.Length];
    }

    public void Observe(double value) => Observe(value, 1);

    /// <summary>Records <paramref name="count"/> observations of the same value at once.</summary>
    public void Observe(double value, long count)
    {
        if (count <= 0)
            return;
        var index = Array.BinarySearch(_bounds, value);
        if (index < 0)
            index = ~index;
        if (index < _counts.Length)
            Interlocked.Add(ref _counts[index], count);
        Interlocked.Add(ref _count, count);
        long seen, next;
        do
        {
            seen = Volatile.Read(ref _sumBits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value * count);
        }
        while (Interlocked.CompareExchange(ref _sumBits, next, seen) != seen);
    }

    public long Count => Volatile.Read(ref _count);

    /// <summary>Writes the _bucket, _sum and _count lines; <paramref name="labels"/> is "" or `node="x"`.</summary>
    public void WriteTo(StringBuilder output, string name, string labels)
    {
        var separator = labels.Length == 0 ? "" : ",";
        long cumulative = 0;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            output.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"")
                .Append(Format(_bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
        }
        var count = Count;
        output.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"+Inf\"} ").Append(count).Append('\n');
        var braces = labels.Length == 0 ? "" : "{" + labels + "}";
        output.Append(name).Append("_sum").Append(braces).Append(' ').Append(Format(BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits)))).Append('\n');
        output.Append(name).Append("_count").Append(braces).Append(' ').Append(count).Append('\n');
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Prometheus' DefBuckets.</summary>
    public static double[] DefaultBuckets => [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>ExponentialBuckets(start, factor, count) as client_golang computes them.</summary>
    public static double[] ExponentialBuckets(double start, double factor, int count)
    {
        var buckets = new double[count];
        for (var i = 0; i < count; i++, start *= factor)
            buckets[i] = start;
        return buckets;
    }

    /// <summary>metrics-server's BucketsForScrapeDuration: DefBuckets, plus four around the resolution when it exceeds 10s.</summary>
    public static double[] ScrapeDurationBuckets(TimeSpan resolution)
    {
        var r = resolution.TotalSeconds;
        var buckets = new List<double>(DefaultBuckets);
        if (r > 10)
            buckets.AddRange([10 + (r - 10) / 2, r, 1.5 * r, 2 * r]);
        return [.. buckets];
    }
}
