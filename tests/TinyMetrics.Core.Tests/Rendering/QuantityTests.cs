using System.Text;

namespace TinyMetrics.Rendering.Tests;

public class QuantityTests
{
    [Test]
    [Arguments(0UL, "0")]
    [Arguments(1UL, "1n")]
    [Arguments(1_230UL, "1230n")]
    [Arguments(3_000UL, "3u")]
    [Arguments(100_000UL, "100u")]
    [Arguments(123_456UL, "123456n")]
    [Arguments(7_262_333UL, "7262333n")]
    [Arguments(12_340_000UL, "12340u")]
    [Arguments(50_000_000UL, "50m")]
    [Arguments(500_000_000UL, "500m")]
    [Arguments(1_000_000_000UL, "1")]
    [Arguments(1_016_171_000UL, "1016171u")]
    [Arguments(2_500_000_000UL, "2500m")]
    [Arguments(10_000_000_000UL, "10")]
    [Arguments(1_000_000_000_000UL, "1k")]
    [Arguments(9_223_372_036_854_775_807UL, "9223372036854775807n")]
    [Arguments(10_000_000_000_000_000_000UL, "10G")]
    [Arguments(18_446_744_073_709_551_615UL, "18446744073709551610n")]
    public async Task FormatCpu_NanoCores_CanonicalDecimalSI(ulong nanoCores, string expected)
    {
        Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
        var text = Encoding.UTF8.GetString(buffer[..Quantity.FormatCpu(nanoCores, buffer)]);

        await Assert.That(text).IsEqualTo(expected);
    }

    [Test]
    [Arguments(0UL, "0")]
    [Arguments(512UL, "512")]
    [Arguments(1_000UL, "1k")]
    [Arguments(1_023UL, "1023")]
    [Arguments(1_024UL, "1Ki")]
    [Arguments(1_536UL, "1536")]
    [Arguments(495_616UL, "484Ki")]
    [Arguments(1_000_000UL, "1000000")]
    [Arguments(5_242_880UL, "5Mi")]
    [Arguments(12_533_760UL, "12240Ki")]
    [Arguments(353_316_864UL, "345036Ki")]
    [Arguments(1_073_741_824UL, "1Gi")]
    [Arguments(1_610_612_736UL, "1536Mi")]
    [Arguments(1_616_273_408UL, "1578392Ki")]
    [Arguments(1_152_921_504_606_846_976UL, "1Ei")]
    [Arguments(18_446_744_073_709_551_615UL, "18446744073709551610")]
    [Arguments(9_223_372_036_854_775_808UL, "9223372036854775800")]
    public async Task FormatMemory_Bytes_CanonicalBinarySI(ulong bytes, string expected)
    {
        Span<byte> buffer = stackalloc byte[Quantity.MaxLength];
        var text = Encoding.UTF8.GetString(buffer[..Quantity.FormatMemory(bytes, buffer)]);

        await Assert.That(text).IsEqualTo(expected);
    }
}
