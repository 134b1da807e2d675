namespace TinyMetrics.Rendering;

/// <summary>
/// Go's <c>time.Duration.String()</c> on UTF-8, as metav1.Duration serializes the window:
/// "15s", "1m0s", "500ms", "1µs" (U+00B5), "0s", "10.58086272s", "-1h2m3s".
/// </summary>
public static class GoDuration
{
    /// <summary>Longest output: "-2562047h47m16.854775808s".</summary>
    public const int MaxLength = 32;

    public static int Format(long nanoseconds, Span<byte> destination)
    {
        Span<byte> buf = stackalloc byte[MaxLength];
        var w = Render(nanoseconds, buf);
        var length = MaxLength - w;
        buf[w..].CopyTo(destination);
        return length;
    }

    // Mirrors Go's Duration.format: fills buf from the right and returns the start index.
    private static int Render(long nanoseconds, Span<byte> buf)
    {
        var w = buf.Length;
        var neg = nanoseconds < 0;
        var u = neg ? unchecked(0UL - (ulong)nanoseconds) : (ulong)nanoseconds;
        if (u < 1_000_000_000UL)
        {
            buf[--w] = (byte)'s';
            if (u == 0)
            {
                buf[--w] = (byte)'0';
                return w;
            }
            int prec;
            if (u < 1_000UL)
            {
                prec = 0;
                buf[--w] = (byte)'n';
            }
            else if (u < 1_000_000UL)
            {
                prec = 3;
                buf[--w] = 0xB5; // "µ" is C2 B5 in UTF-8
                buf[--w] = 0xC2;
            }
            else
            {
                prec = 6;
                buf[--w] = (byte)'m';
            }
            w = FormatFraction(buf, w, ref u, prec);
            w = FormatInt(buf, w, u);
        }
        else
        {
            buf[--w] = (byte)'s';
            w = FormatFraction(buf, w, ref u, 9);
            w = FormatInt(buf, w, u % 60);
            u /= 60;
            if (u > 0)
            {
                buf[--w] = (byte)'m';
                w = FormatInt(buf, w, u % 60);
                u /= 60;
                if (u > 0)
                {
                    buf[--w] = (byte)'h';
                    w = FormatInt(buf, w, u);
                }
            }
        }
        if (neg)
            buf[--w] = (byte)'-';
        return w;
    }

    // Go's fmtFrac: trailing zeros, and the point itself when all digits are zero, are omitted.
    private static int FormatFraction(Span<byte> buf, int w, ref ulong v, int prec)
    {
        var print = false;
        for (var i = 0; i < prec; i++)
        {
            var digit = v % 10;
            print = print || digit != 0;
            if (print)
                buf[--w] = (byte)('0' + digit);
            v /= 10;
        }
        if (print)
            buf[--w] = (byte)'.';
        return w;
    }

    private static int FormatInt(Span<byte> buf, int w, ulong v)
    {
        if (v == 0)
        {
            buf[--w] = (byte)'0';
            return w;
        }
        while (v > 0)
        {
            buf[--w] = (byte)('0' + v % 10);
            v /= 10;
        }
        return w;
    }
}
