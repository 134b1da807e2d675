using System.Numerics;
using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>Property tests of the quantity writer: every value's text reads back, by Kubernetes' suffix rules, to that value.</summary>
public class QuantityFuzzTests
{
    [Test]
    public void FormatCpu_AnyNanoCores_ReadsBackExactly()
    {
        Gen.ULong[0, long.MaxValue].Sample(nanoCores =>
        {
            Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
            var text = Encoding.ASCII.GetString(buffer[..Quantity.FormatCpu(nanoCores, buffer)]);
            return Read(text, 9) == nanoCores;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void FormatMemory_AnyBytes_ReadsBackExactly()
    {
        Gen.ULong[0, long.MaxValue].Sample(bytes =>
        {
            Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
            var text = Encoding.ASCII.GetString(buffer[..Quantity.FormatMemory(bytes, buffer)]);
            return Read(text, 0) == bytes;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    // A quantity's value times 10^scale, or -1 when it does not come out whole.
    private static BigInteger Read(string text, int scale)
    {
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
            digits++;
        if (digits == 0)
            return -1;
        var mantissa = BigInteger.Parse(text[..digits]);
        var (multiplier, divisor) = text[digits..] switch
        {
            "" => (BigInteger.One, BigInteger.One),
            "n" => (BigInteger.One, BigInteger.Pow(10, 9)),
            "u" => (BigInteger.One, BigInteger.Pow(10, 6)),
            "m" => (BigInteger.One, BigInteger.Pow(10, 3)),
            "k" => (BigInteger.Pow(10, 3), BigInteger.One),
            "M" => (BigInteger.Pow(10, 6), BigInteger.One),
            "G" => (BigInteger.Pow(10, 9), BigInteger.One),
            "T" => (BigInteger.Pow(10, 12), BigInteger.One),
            "P" => (BigInteger.Pow(10, 15), BigInteger.One),
            "E" => (BigInteger.Pow(10, 18), BigInteger.One),
            "Ki" => (BigInteger.Pow(2, 10), BigInteger.One),
            "Mi" => (BigInteger.Pow(2, 20), BigInteger.One),
            "Gi" => (BigInteger.Pow(2, 30), BigInteger.One),
            "Ti" => (BigInteger.Pow(2, 40), BigInteger.One),
            "Pi" => (BigInteger.Pow(2, 50), BigInteger.One),
            "Ei" => (BigInteger.Pow(2, 60), BigInteger.One),
            _ => (BigInteger.Zero, BigInteger.One),
        };
        var scaled = mantissa * multiplier * BigInteger.Pow(10, scale);
        return multiplier.IsZero || scaled % divisor != 0 ? -1 : scaled / divisor;
    }
}
