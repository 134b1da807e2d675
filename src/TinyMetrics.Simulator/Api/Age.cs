using System.Globalization;

namespace TinyMetrics.Simulator.Api;

/// <summary>kubectl's short age format (<c>5h12m</c>, <c>2d3h</c>), for Table cells.</summary>
internal static class Age
{
    public static string Format(long nowUnixNanos, long thenUnixNanos)
    {
        var seconds = Math.Max(0, (nowUnixNanos - thenUnixNanos) / 1_000_000_000);
        var inv = CultureInfo.InvariantCulture;
        if (seconds < 120)
            return seconds.ToString(inv) + "s";
        var minutes = seconds / 60;
        if (minutes < 180)
            return minutes.ToString(inv) + "m";
        var hours = minutes / 60;
        if (hours < 48)
            return hours.ToString(inv) + "h" + (minutes % 60 == 0 ? "" : (minutes % 60).ToString(inv) + "m");
        return (hours / 24).ToString(inv) + "d" + (hours % 24 == 0 ? "" : (hours % 24).ToString(inv) + "h");
    }
}
