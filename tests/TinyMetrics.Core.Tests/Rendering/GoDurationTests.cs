using System.Text;

namespace TinyMetrics.Rendering.Tests;

public class GoDurationTests
{
    [Test]
    [Arguments(0L, "0s")]
    [Arguments(1L, "1ns")]
    [Arguments(999L, "999ns")]
    [Arguments(1_000L, "1µs")]
    [Arguments(1_500L, "1.5µs")]
    [Arguments(500_000_000L, "500ms")]
    [Arguments(1_100_000L, "1.1ms")]
    [Arguments(15_000_000_000L, "15s")]
    [Arguments(15_012_000_000L, "15.012s")]
    [Arguments(10_580_862_720L, "10.58086272s")]
    [Arguments(60_000_000_000L, "1m0s")]
    [Arguments(90_000_000_000L, "1m30s")]
    [Arguments(3_723_000_000_000L, "1h2m3s")]
    [Arguments(3_600_000_000_000L, "1h0m0s")]
    [Arguments(-15_000_000_000L, "-15s")]
    [Arguments(-1_000L, "-1µs")]
    [Arguments(-3_723_000_000_001L, "-1h2m3.000000001s")]
    [Arguments(long.MaxValue, "2562047h47m16.854775807s")]
    [Arguments(long.MinValue, "-2562047h47m16.854775808s")]
    public async Task Format_Nanoseconds_MatchesGoDurationString(long nanoseconds, string expected)
    {
        Span<byte> buffer = stackalloc byte[GoDuration.MaxLength];
        var text = Encoding.UTF8.GetString(buffer[..GoDuration.Format(nanoseconds, buffer)]);

        await Assert.That(text).IsEqualTo(expected);
    }

    [Test]
    public async Task Format_Microseconds_WritesMicroSignAsUtf8()
    {
        var buffer = new byte[GoDuration.MaxLength];
        var length = GoDuration.Format(2_000, buffer);

        await Assert.That(buffer[..length]).IsEquivalentTo(new byte[] { (byte)'2', 0xC2, 0xB5, (byte)'s' });
    }
}
