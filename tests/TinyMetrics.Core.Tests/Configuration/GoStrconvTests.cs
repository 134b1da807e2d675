namespace TinyMetrics.Configuration.Tests;

public class GoStrconvTests
{
    [Test]
    [Arguments("abc", "\"abc\"")]
    [Arguments("a\"b", "\"a\\\"b\"")]
    [Arguments("a\\b", "\"a\\\\b\"")]
    [Arguments("tab\there", "\"tab\\there\"")]
    public async Task Quote_Text_EscapesLikeGo(string text, string expected)
    {
        await Assert.That(GoStrconv.Quote(text)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("0", 0L)]
    [Arguments("-2147483648", -2147483648L)]
    [Arguments("2147483647", 2147483647L)]
    [Arguments("0x7fffFFFF", 2147483647L)]
    [Arguments("0b1010", 10L)]
    [Arguments("0O17", 15L)]
    [Arguments("0x_1F", 31L)]
    [Arguments("1_000", 1000L)]
    [Arguments("-0", 0L)]
    public async Task TryParseInt_Base0Int32_Parses(string text, long expected)
    {
        var ok = GoStrconv.TryParseInt(text, 32, allowPrefixes: true, out var value, out var error);

        await Assert.That(ok).IsTrue();
        await Assert.That(error).IsEqualTo("");
        await Assert.That(value).IsEqualTo(expected);
    }

    [Test]
    [Arguments("2147483648", "value out of range")]
    [Arguments("-2147483649", "value out of range")]
    [Arguments("99999999999999999999999", "value out of range")]
    [Arguments("0x", "invalid syntax")]
    [Arguments("_1", "invalid syntax")]
    [Arguments("1_", "invalid syntax")]
    [Arguments("0b102", "invalid syntax")]
    [Arguments(" 1", "invalid syntax")]
    [Arguments("1.0", "invalid syntax")]
    [Arguments("+", "invalid syntax")]
    public async Task TryParseInt_Bad_ReportsGoReason(string text, string reason)
    {
        var ok = GoStrconv.TryParseInt(text, 32, allowPrefixes: true, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo($"strconv.ParseInt: parsing \"{text}\": {reason}");
    }

    [Test]
    [Arguments("9223372036854775807", long.MaxValue)]
    [Arguments("-9223372036854775808", long.MinValue)]
    public async Task TryParseInt_Int64Bounds_Parse(string text, long expected)
    {
        var ok = GoStrconv.TryParseInt(text, 64, allowPrefixes: true, out var value, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(value).IsEqualTo(expected);
    }

    [Test]
    [Arguments("a", "a")]
    [Arguments("a,b", "a|b")]
    [Arguments("\"a,b\",c", "a,b|c")]
    [Arguments("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [Arguments(" a, b", " a| b")]
    [Arguments("a,", "a|")]
    public async Task TryReadCsv_Fields_SplitLikeEncodingCsv(string raw, string expected)
    {
        var ok = FlagValueParser.TryReadCsv(raw, out var items, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That(string.Join('|', items)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("a\"b")]
    [Arguments("\"ab")]
    [Arguments("\"a\"b")]
    public async Task TryReadCsv_BadQuotes_Fails(string raw)
    {
        var ok = FlagValueParser.TryReadCsv(raw, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).Contains("\"");
    }
}
