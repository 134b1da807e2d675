namespace TinyMetrics.Configuration.Tests;

public class GoDurationParserTests
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
        var ok = GoDurationParser.TryParseNanoseconds(text, out var nanoseconds, out var error);

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
        var ok = GoDurationParser.TryParseNanoseconds(text, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo(expectedError);
    }

    [Test]
    public async Task TryParse_SubTickDuration_TruncatesToTimeSpanTicks()
    {
        var ok = GoDurationParser.TryParse("1.23456789s", out var duration, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(duration.Ticks).IsEqualTo(12_345_678L);
    }
}
