using System.Diagnostics.CodeAnalysis;

namespace TinyMetrics.Configuration;

/// <summary>Outcome of <see cref="FlagParser.Parse"/>: validated options, or text to print instead of running.</summary>
public sealed class FlagParseResult
{
    private FlagParseResult(FlagParseKind kind, ServerOptions? options, string text)
    {
        Kind = kind;
        Options = options;
        Text = text;
    }

    public FlagParseKind Kind { get; }

    /// <summary>Set only when <see cref="Kind"/> is <see cref="FlagParseKind.Run"/>.</summary>
    public ServerOptions? Options { get; }

    /// <summary>Help text, version line or error line; empty for <see cref="FlagParseKind.Run"/>.</summary>
    public string Text { get; }

    [MemberNotNullWhen(true, nameof(Options))]
    public bool IsRun => Kind == FlagParseKind.Run;

    public static FlagParseResult ForRun(ServerOptions options) => new(FlagParseKind.Run, options, "");

    public static FlagParseResult ForHelp(string helpText) => new(FlagParseKind.Help, null, helpText);

    public static FlagParseResult ForVersion(string versionLine) => new(FlagParseKind.Version, null, versionLine);

    public static FlagParseResult ForError(string message) => new(FlagParseKind.Error, null, message);
}
