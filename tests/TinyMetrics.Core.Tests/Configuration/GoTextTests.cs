namespace TinyMetrics.Configuration.Tests;

public class GoTextTests
{
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
    public async Task Duration_Ticks_FormatsLikeGo(long ticks, string expected)
    {
        await Assert.That(GoText.Duration(TimeSpan.FromTicks(ticks))).IsEqualTo(expected);
    }

    [Test]
    [Arguments("abc", "\"abc\"")]
    [Arguments("a\"b", "\"a\\\"b\"")]
    [Arguments("a\\b", "\"a\\\\b\"")]
    [Arguments("tab\there", "\"tab\\there\"")]
    public async Task Quote_Text_EscapesLikeGo(string text, string expected)
    {
        await Assert.That(GoText.Quote(text)).IsEqualTo(expected);
    }
}
