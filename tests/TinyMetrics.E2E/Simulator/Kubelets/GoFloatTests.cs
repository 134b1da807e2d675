namespace TinyMetrics.Simulator.Kubelets.Tests;

public class GoFloatTests
{
    // Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints.
    [Test]
    [Arguments(4.710169, "4.710169")]
    [Arguments(12533760.0, "1.253376e+07")]
    [Arguments(1616273408.0, "1.616273408e+09")]
    [Arguments(357.35491, "357.35491")]
    [Arguments(1633252712.0, "1.633252712e+09")]
    [Arguments(0.0, "0")]
    [Arguments(123456.789, "123456.789")]
    [Arguments(1234567.5, "1.2345675e+06")]
    [Arguments(0.0001, "0.0001")]
    [Arguments(0.00001234, "1.234e-05")]
    [Arguments(100.0, "100")]
    [Arguments(1e21, "1e+21")]
    [Arguments(-2.5, "-2.5")]
    public async Task Format_Value_MatchesGo(double value, string expected)
    {
        await Assert.That(GoFloat.Format(value)).IsEqualTo(expected);
    }
}
