namespace TinyMetrics.Rendering;

/// <summary>metav1.Time JSON: RFC 3339 in UTC, truncated to whole seconds ("2021-10-03T09:36:52Z").</summary>
public static class KubeTime
{
    public const int Length = 20;

    /// <summary>Writes exactly <see cref="Length"/> bytes; <paramref name="unixNanoseconds"/> is at or after 1970.</summary>
    public static int FormatRfc3339(long unixNanoseconds, Span<byte> destination)
    {
        var time = DateTime.UnixEpoch.AddTicks(unixNanoseconds / 1_000_000_000 * TimeSpan.TicksPerSecond);
        var d = destination[..Length];
        Write4(d, time.Year);
        d[4] = (byte)'-';
        Write2(d[5..], time.Month);
        d[7] = (byte)'-';
        Write2(d[8..], time.Day);
        d[10] = (byte)'T';
        Write2(d[11..], time.Hour);
        d[13] = (byte)':';
        Write2(d[14..], time.Minute);
        d[16] = (byte)':';
        Write2(d[17..], time.Second);
        d[19] = (byte)'Z';
        return Length;
    }

    private static void Write2(Span<byte> d, int value)
    {
        d[0] = (byte)('0' + value / 10);
        d[1] = (byte)('0' + value % 10);
    }

    private static void Write4(Span<byte> d, int value)
    {
        Write2(d, value / 100);
        Write2(d[2..], value % 100);
    }
}
