using System.Globalization;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Formats a double as Go's <c>strconv.FormatFloat(f, 'g', -1, 64)</c>, which the Prometheus client uses:
/// the shortest round-trip digits, in exponent form (<c>1.253376e+07</c>) when the decimal exponent is below -4
/// or at least 6 — so kubelet bodies come out byte-for-byte in the kubelet's style.
/// </summary>
public static class GoFloat
{
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[40];
        var n = Write(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>Writes ASCII into <paramref name="destination"/> (≥ 32 bytes) and returns the length.</summary>
    public static int Write(double value, Span<byte> destination)
    {
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }
        Span<byte> raw = stackalloc byte[40];
        value.TryFormat(raw, out var rawLength, "R", CultureInfo.InvariantCulture);
        Span<byte> digits = stackalloc byte[24];
        var negative = ExtractDigits(raw[..rawLength], digits, out var count, out var pointPosition);
        var length = 0;
        if (negative)
            destination[length++] = (byte)'-';
        var exponent = pointPosition - 1;
        if (exponent < -4 || exponent >= 6)
            return length + WriteExponent(digits[..count], exponent, destination[length..]);
        return length + WritePlain(digits[..count], pointPosition, destination[length..]);
    }

    // Digits without leading/trailing zeros; pointPosition = where the decimal point goes (scientific exponent + 1).
    private static bool ExtractDigits(ReadOnlySpan<byte> text, Span<byte> digits, out int count, out int pointPosition)
    {
        var negative = text[0] == (byte)'-';
        if (negative)
            text = text[1..];
        var e = text.IndexOfAny((byte)'E', (byte)'e');
        var exponent = 0;
        if (e >= 0)
        {
            int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent);
            text = text[..e];
        }
        count = 0;
        pointPosition = exponent;
        var seenPoint = false;
        foreach (var c in text)
        {
            if (c == (byte)'.')
            {
                seenPoint = true;
                continue;
            }
            if (count == 0 && c == (byte)'0')
            {
                if (seenPoint)
                    pointPosition--;
                continue;
            }
            digits[count++] = c;
            if (!seenPoint)
                pointPosition++;
        }
        while (count > 1 && digits[count - 1] == (byte)'0')
            count--;
        return negative;
    }

    private static int WriteExponent(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination)
    {
        var n = 0;
        destination[n++] = digits[0];
        if (digits.Length > 1)
        {
            destination[n++] = (byte)'.';
            digits[1..].CopyTo(destination[n..]);
            n += digits.Length - 1;
        }
        destination[n++] = (byte)'e';
        destination[n++] = exponent < 0 ? (byte)'-' : (byte)'+';
        var abs = Math.Abs(exponent);
        if (abs < 10)
            destination[n++] = (byte)'0';
        abs.TryFormat(destination[n..], out var written, default, CultureInfo.InvariantCulture);
        return n + written;
    }

    private static int WritePlain(ReadOnlySpan<byte> digits, int pointPosition, Span<byte> destination)
    {
        var n = 0;
        if (pointPosition <= 0)
        {
            destination[n++] = (byte)'0';
            destination[n++] = (byte)'.';
            for (var i = pointPosition; i < 0; i++)
                destination[n++] = (byte)'0';
            digits.CopyTo(destination[n..]);
            return n + digits.Length;
        }
        for (var i = 0; i < Math.Max(digits.Length, pointPosition); i++)
        {
            if (i == pointPosition)
                destination[n++] = (byte)'.';
            destination[n++] = i < digits.Length ? digits[i] : (byte)'0';
        }
        return n;
    }
}
