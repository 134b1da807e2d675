using System.Buffers.Text;

namespace TinyMetrics.Rendering;

/// <summary>
/// Canonical Kubernetes quantity strings (apimachinery <c>Quantity.MarshalJSON</c>) for the two
/// shapes metrics-server builds: cpu as DecimalSI at scale −9, memory as BinarySI at scale 0.
/// Writes UTF-8 into the destination and returns the number of bytes; 24 bytes always suffice.
/// </summary>
public static class Quantity
{
    /// <summary>Longest output: a 20-digit mantissa times 100 plus a one-letter suffix.</summary>
    public const int MaxLength = 24;

    public static int FormatCpu(ulong nanoCores, Span<byte> destination)
    {
        // Upstream's uint64Quantity: a value beyond int64 loses its last digit and gains one in the scale.
        return nanoCores > long.MaxValue
            ? FormatDecimalSI(nanoCores / 10, -8, destination)
            : FormatDecimalSI(nanoCores, -9, destination);
    }

    public static int FormatMemory(ulong bytes, Span<byte> destination)
    {
        if (bytes > long.MaxValue)
            return FormatBinarySI(bytes / 10 * 10, destination);
        return bytes < 1024 ? FormatDecimalSI(bytes, 0, destination) : FormatBinarySI(bytes, destination);
    }

    /// <summary>DecimalSI canonical form of <paramref name="mantissa"/> × 10^<paramref name="exponent"/>.</summary>
    internal static int FormatDecimalSI(ulong mantissa, int exponent, Span<byte> destination)
    {
        if (mantissa == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }
        while (mantissa % 10 == 0)
        {
            mantissa /= 10;
            exponent++;
        }
        // Go's % truncates like C#'s, so negative exponents fall in the {-1,-2} arms.
        UInt128 amount = mantissa;
        switch (exponent % 3)
        {
            case 1 or -2:
                amount *= 10;
                exponent -= 1;
                break;
            case 2 or -1:
                amount *= 100;
                exponent -= 2;
                break;
        }
        amount.TryFormat(destination, out var written, default, null);
        return written + WriteDecimalSuffix(exponent, destination[written..]);
    }

    private static int FormatBinarySI(ulong value, Span<byte> destination)
    {
        var power = 0;
        while (power < 6 && value % 1024 == 0)
        {
            value /= 1024;
            power++;
        }
        Utf8Formatter.TryFormat(value, destination, out var written);
        if (power == 0)
            return written;
        destination[written] = "KMGTPE"u8[power - 1];
        destination[written + 1] = (byte)'i';
        return written + 2;
    }

    private static int WriteDecimalSuffix(int exponent, Span<byte> destination)
    {
        if (exponent == 0)
            return 0;
        // Index = exponent/3 + 3: -9 n, -6 u, -3 m, 3 k, 6 M, 9 G, 12 T, 15 P, 18 E.
        destination[0] = "num kMGTPE"u8[exponent / 3 + 3];
        return 1;
    }
}
