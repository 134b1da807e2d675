namespace TinyMetrics.Parsing.Tests;

public class SampleValueTests
{
    [Test]
    [Arguments("1.616273408e+09", 1_616_273_408d)]
    [Arguments("-0.5", -0.5d)]
    [Arguments("+7", 7d)]
    [Arguments("5.", 5d)]
    [Arguments("1E3", 1000d)]
    [Arguments("1e-400", 0d)]
    public async Task TryParse_DecimalForms_Parse(string text, double expected)
    {
        await Assert.That(SampleValue.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var value)).IsTrue();
        await Assert.That(value).IsEqualTo(expected);
    }

    [Test]
    [Arguments("NaN")]
    [Arguments("nan")]
    [Arguments("+Inf")]
    [Arguments("-inf")]
    [Arguments("Infinity")]
    [Arguments("-INFINITY")]
    public async Task TryParse_GoSpecialValues_ParseAsNonFinite(string text)
    {
        await Assert.That(SampleValue.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var value)).IsTrue();
        await Assert.That(double.IsFinite(value)).IsFalse();
    }

    [Test]
    [Arguments("")]
    [Arguments("+nan")]
    [Arguments("infin")]
    [Arguments("1e")]
    [Arguments("--1")]
    [Arguments("1 ")]
    [Arguments(" 1")]
    [Arguments("0x1p3")]
    [Arguments("1,5")]
    [Arguments("1e309")]
    [Arguments("\u221e")]
    public async Task TryParse_NotAGoFloat_Rejected(string text)
    {
        await Assert.That(SampleValue.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _)).IsFalse();
    }

    [Test]
    [Arguments(double.NaN, 0UL)]
    [Arguments(double.PositiveInfinity, 0UL)]
    [Arguments(-1d, 0UL)]
    [Arguments(4.710169, 4_710_169_000UL)]
    [Arguments(1.9e10, 0UL)]
    public async Task SecondsToNanos_InvalidUsage_IsZero(double seconds, ulong expected)
    {
        await Assert.That(SampleValue.SecondsToNanos(seconds)).IsEqualTo(expected);
    }
}
