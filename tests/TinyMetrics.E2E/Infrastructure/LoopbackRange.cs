using System.Globalization;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// Moves the clusters' fixed loopback ranges into one /16 when <c>TINYMETRICS_E2E_LOOPBACK</c> names one (e.g. <c>127.94</c>),
/// so two checkouts can run the same classes side by side. Each cluster's 127.X.a.b goes to 127.R.(X mod 16 · 16 + a).b:
/// the ranges of 127.77–127.92 stay apart, with 4,096 addresses each. Without the variable every address is kept.
/// </summary>
public static class LoopbackRange
{
    private static readonly string? Prefix = Environment.GetEnvironmentVariable("TINYMETRICS_E2E_LOOPBACK") is { Length: > 0 } p ? p : null;

    public static string Remap(string address)
    {
        var parts = address.Split('.');
        if (Prefix is null || parts.Length != 4 || parts[0] != "127")
            return address;
        var second = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var third = int.Parse(parts[2], CultureInfo.InvariantCulture);
        if (third >= 16)
            throw new ArgumentException($"{address}: only the first 4,096 addresses of a range can be moved");
        return FormattableString.Invariant($"{Prefix}.{(second % 16 * 16) + third}.{parts[3]}");
    }
}
