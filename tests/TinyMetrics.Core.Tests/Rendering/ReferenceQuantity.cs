using System.Globalization;
using System.Numerics;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// A second implementation of the quantities metrics-server serves, written for the tests from apimachinery's
/// algorithm rather than from the production code: metrics-server's <c>uint64Quantity</c> (a value beyond int64
/// loses its last digit and gains one in the scale), then <c>Quantity.CanonicalizeBytes</c> — DecimalSI strips
/// factors of ten and lowers the exponent to a multiple of three (<c>AsCanonicalBytes</c>); BinarySI writes values
/// in (−1024, 1024) as DecimalSI and otherwise strips factors of 1024 (<c>AsCanonicalBase1024Bytes</c>).
/// Big integers throughout, so no overflow path differs.
/// </summary>
internal static class ReferenceQuantity
{
    /// <summary>CPU: nanocores as DecimalSI at scale −9.</summary>
    public static string Cpu(ulong nanoCores)
    {
        var (value, scale) = Uint64Quantity(nanoCores, -9);
        return DecimalSI(value, scale);
    }

    /// <summary>Memory: bytes as BinarySI at scale 0.</summary>
    public static string Memory(ulong bytes)
    {
        var (value, scale) = Uint64Quantity(bytes, 0);
        var whole = value * BigInteger.Pow(10, scale);
        if (whole < 1024)
            return DecimalSI(value, scale);
        var power = 0;
        while (!whole.IsZero && whole % 1024 == 0)
        {
            whole /= 1024;
            power++;
        }
        string[] suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        if (power >= suffixes.Length)
            throw new ArgumentOutOfRangeException(nameof(bytes), "no binary suffix for 1024^" + power);
        return whole.ToString(CultureInfo.InvariantCulture) + suffixes[power];
    }

    private static (BigInteger Value, int Scale) Uint64Quantity(ulong value, int scale) =>
        value > long.MaxValue ? (new BigInteger(value / 10), scale + 1) : (new BigInteger(value), scale);

    private static string DecimalSI(BigInteger value, int exponent)
    {
        if (value.IsZero)
            return "0";
        while (value % 10 == 0)
        {
            value /= 10;
            exponent++;
        }
        // Go's % keeps the sign of the dividend, as C#'s does.
        switch (exponent % 3)
        {
            case 1 or -2:
                value *= 10;
                exponent--;
                break;
            case 2 or -1:
                value *= 100;
                exponent -= 2;
                break;
        }
        var suffix = exponent switch
        {
            -9 => "n", -6 => "u", -3 => "m", 0 => "", 3 => "k", 6 => "M", 9 => "G", 12 => "T", 15 => "P", 18 => "E",
            _ => throw new ArgumentOutOfRangeException(nameof(exponent), "no decimal suffix for 10^" + exponent),
        };
        return value.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}
