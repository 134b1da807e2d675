using System.Globalization;

namespace TinyMetrics.Simulator.Api;

/// <summary>One fault: what happens and, for <see cref="ApiFaultKind.Slow"/>, how long each answer waits.</summary>
internal sealed record ApiFault(ApiFaultKind Kind, TimeSpan Delay)
{
    public static readonly ApiFault None = new(ApiFaultKind.None, TimeSpan.Zero);

    /// <summary>Reads <c>value=none|unavailable|slow|hang</c> and, for slow, <c>delaySeconds=N</c> (1–600).</summary>
    public static bool TryParse(string? value, string? delaySeconds, out ApiFault fault)
    {
        fault = None;
        switch (value)
        {
            case "none":
                return true;
            case "unavailable":
                fault = new ApiFault(ApiFaultKind.Unavailable, TimeSpan.Zero);
                return true;
            case "hang":
                fault = new ApiFault(ApiFaultKind.Hang, TimeSpan.Zero);
                return true;
            case "slow" when int.TryParse(delaySeconds, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 600:
                fault = new ApiFault(ApiFaultKind.Slow, TimeSpan.FromSeconds(seconds));
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => Kind switch
    {
        ApiFaultKind.Slow => string.Create(CultureInfo.InvariantCulture, $"slow {Delay.TotalSeconds}s"),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
