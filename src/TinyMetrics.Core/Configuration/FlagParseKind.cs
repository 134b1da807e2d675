namespace TinyMetrics.Configuration;

/// <summary>What the command line asks for.</summary>
public enum FlagParseKind
{
    /// <summary>Start the server with <see cref="FlagParseResult.Options"/>.</summary>
    Run,

    /// <summary>Print <see cref="FlagParseResult.Text"/> (the help) to stdout and exit 0.</summary>
    Help,

    /// <summary>Print <see cref="FlagParseResult.Text"/> (the version line) to stdout and exit 0.</summary>
    Version,

    /// <summary>Print <see cref="FlagParseResult.Text"/> (one error line) to stderr and exit non-zero.</summary>
    Error,
}
