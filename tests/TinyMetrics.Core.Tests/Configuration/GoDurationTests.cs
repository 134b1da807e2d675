using System.Text;

namespace TinyMetrics.Configuration.Tests;

public class GoDurationTests
{
    [Test]
    [Arguments("0", 0L)]
    [Arguments("-0", 0L)]
    [Arguments("+0", 0L)]
    [Arguments("15s", 15_000_000_000L)]
    [Arguments("1m0s", 60_000_000_000L)]
    [Arguments("1h30m", 5_400_000_000_000L)]
    [Arguments("500ms", 500_000_000L)]
    [Arguments("1.5s", 1_500_000_000L)]
    [Arguments("2h45m0.5s", 9_900_500_000_000L)]
    [Arguments("10us", 10_000L)]
    [Arguments("10\u00b5s", 10_000L)]
    [Arguments("10\u03bcs", 10_000L)]
    [Arguments("7ns", 7L)]
    [Arguments(".5s", 500_000_000L)]
    [Arguments("1.s", 1_000_000_000L)]
    [Arguments("-1.5h", -5_400_000_000_000L)]
    [Arguments("+2m", 120_000_000_000L)]
    [Arguments("1h1m1s1ms1us1ns", 3_661_001_001_001L)]
    [Arguments("0s", 0L)]
    [Arguments("0.000000001s", 1L)]
    [Arguments("9223372036854775807ns", long.MaxValue)]
    [Arguments("-9223372036854775808ns", long.MinValue)]
    [Arguments("1.0000000000000000000001s", 1_000_000_000L)]
    public async Task TryParseNanoseconds_ValidGoDuration_ReturnsNanoseconds(string text, long expected)
    {
        var ok = GoDuration.TryParseNanoseconds(text, out var nanoseconds, out var error);

        await Assert.That(ok).IsTrue();
        await Assert.That(error).IsEqualTo("");
        await Assert.That(nanoseconds).IsEqualTo(expected);
    }

    [Test]
    [Arguments("", "time: invalid duration \"\"")]
    [Arguments("-", "time: invalid duration \"-\"")]
    [Arguments("abc", "time: invalid duration \"abc\"")]
    [Arguments("1", "time: missing unit in duration \"1\"")]
    [Arguments("10", "time: missing unit in duration \"10\"")]
    [Arguments("1s2", "time: missing unit in duration \"1s2\"")]
    [Arguments("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [Arguments("1S", "time: unknown unit \"S\" in duration \"1S\"")]
    [Arguments("1 s", "time: unknown unit \" s\" in duration \"1 s\"")]
    [Arguments(".s", "time: invalid duration \".s\"")]
    [Arguments("s", "time: invalid duration \"s\"")]
    [Arguments("1.2.3s", "time: missing unit in duration \"1.2.3s\"")]
    [Arguments("--1s", "time: invalid duration \"--1s\"")]
    [Arguments("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [Arguments("3000000h", "time: invalid duration \"3000000h\"")]
    public async Task TryParseNanoseconds_Invalid_ReturnsGoError(string text, string expectedError)
    {
        var ok = GoDuration.TryParseNanoseconds(text, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo(expectedError);
    }

    [Test]
    public async Task TryParse_SubTickDuration_TruncatesToTimeSpanTicks()
    {
        var ok = GoDuration.TryParse("1.23456789s", out var duration, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(duration.Ticks).IsEqualTo(12_345_678L);
    }

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

    [Test]
    [Arguments(0L, "0s")]
    [Arguments(600_000_000L, "1m0s")]
    [Arguments(100_000_000L, "10s")]
    [Arguments(15_000_000L, "1.5s")]
    [Arguments(5_000_000L, "500ms")]
    [Arguments(10L, "1\u00b5s")]
    [Arguments(36_000_000_000L, "1h0m0s")]
    [Arguments(99_005_000_000L, "2h45m0.5s")]
    [Arguments(-15_000_000L, "-1.5s")]
    public async Task Format_Ticks_FormatsLikeGo(long ticks, string expected)
    {
        await Assert.That(GoDuration.Format(TimeSpan.FromTicks(ticks))).IsEqualTo(expected);
    }
}
