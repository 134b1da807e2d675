namespace TinyMetrics.Simulator.Api;

/// <summary>An authenticated user of the simulated API.</summary>
internal sealed record Caller(string User, string[] Groups)
{
    public bool IsAdmin => Array.IndexOf(Groups, "system:masters") >= 0;
}
