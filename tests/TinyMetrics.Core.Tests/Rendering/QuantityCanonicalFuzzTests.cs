using System.Numerics;
using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// The quantity writer produces exactly apimachinery's canonical text (<see cref="ReferenceQuantity"/>) for every
/// uint64, including the values beyond int64 that metrics-server's <c>uint64Quantity</c> rounds. Random uint64s
/// almost never end in zeros, so most cases are built as m × 10^k or m × 1024^k, or sit next to a boundary.
/// </summary>
public class QuantityCanonicalFuzzTests
{
    private static readonly Gen<ulong> Structured = Gen.Select(Gen.ULong[1, 100_000], Gen.Int[0, 19], Gen.Bool)
        .Select(t => BigInteger.Pow(t.Item3 ? 10 : 1024, t.Item3 ? t.Item2 : t.Item2 % 7) * t.Item1)
        .Where(v => v <= ulong.MaxValue)
        .Select(v => (ulong)v);

    private static readonly Gen<ulong> NearBoundary = Gen.Select(
        Gen.Int[0, 6].Select(i => new[] { 0UL, 1_000UL, 1_024UL, 1_000_000_000UL, (ulong)long.MaxValue, 1UL << 60, ulong.MaxValue }[i]),
        Gen.Long[-3, 3],
        (anchor, delta) => unchecked(anchor + (ulong)delta));

    private static readonly Gen<ulong> Value = Gen.OneOf(Gen.ULong, Structured, NearBoundary);

    [Test]
    [Arguments(0UL, "0")]
    [Arguments(1_500_000_000UL, "1500m")]
    [Arguments(9_223_372_036_854_775_808UL, "9223372036854775800n")]
    [Arguments(10_000_000_000_000_000_000UL, "10G")]
    public async Task ReferenceCpu_Examples(ulong nanoCores, string expected) =>
        await Assert.That(ReferenceQuantity.Cpu(nanoCores)).IsEqualTo(expected);

    [Test]
    [Arguments(1_000UL, "1k")]
    [Arguments(1_023UL, "1023")]
    [Arguments(1_024UL, "1Ki")]
    [Arguments(11_529_215_046_068_469_760UL, "10Ei")]
    [Arguments(18_446_744_073_709_551_615UL, "18446744073709551610")]
    public async Task ReferenceMemory_Examples(ulong bytes, string expected) =>
        await Assert.That(ReferenceQuantity.Memory(bytes)).IsEqualTo(expected);

    [Test]
    public void FormatCpu_AnyUInt64_EqualsApimachineryCanonicalForm()
    {
        Value.Sample(nanoCores =>
        {
            Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
            return Encoding.ASCII.GetString(buffer[..Quantity.FormatCpu(nanoCores, buffer)]) == ReferenceQuantity.Cpu(nanoCores);
        }, iter: FuzzBudget.Iter * 10, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void FormatMemory_AnyUInt64_EqualsApimachineryCanonicalForm()
    {
        Value.Sample(bytes =>
        {
            Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
            return Encoding.ASCII.GetString(buffer[..Quantity.FormatMemory(bytes, buffer)]) == ReferenceQuantity.Memory(bytes);
        }, iter: FuzzBudget.Iter * 10, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }
}
