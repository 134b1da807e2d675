namespace TinyMetrics.Configuration;

/// <summary>Version identity printed by <c>--version</c> and reported by the server.</summary>
public static class BuildInfo
{
    public const string Version = "v0.1.0";

    /// <summary>The line <c>--version</c> prints.</summary>
    public const string VersionLine = "TinyMetrics " + Version;
}
