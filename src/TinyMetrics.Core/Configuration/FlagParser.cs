namespace TinyMetrics.Configuration;

/// <summary>
/// metrics-server's command line (reference §1), parsed as spf13/pflag does: <c>--flag=value</c>,
/// <c>--flag value</c>, bare booleans, shorthands (<c>-v4</c>, <c>-l sel</c>), repeatable comma-separated
/// lists, Go durations, <c>--</c>. Errors use pflag's wording; unused apiserver flags only warn.
/// </summary>
public static class FlagParser
{
    private static readonly Lazy<string> LazyHelpText = new(HelpTextBuilder.Build);

    /// <summary>The <c>--help</c> output: usage line, then every flag by section with type, description and default.</summary>
    public static string HelpText => LazyHelpText.Value;

    /// <summary>Parses and validates <paramref name="args"/> (without the program name).</summary>
    public static FlagParseResult Parse(IReadOnlyList<string> args)
    {
        var session = new FlagParseSession();
        var error = session.Run(args);
        if (error is not null)
            return FlagParseResult.ForError(error);
        if (session.HelpRequested)
            return FlagParseResult.ForHelp(HelpText);
        if (session.VersionRequested)
            return FlagParseResult.ForVersion(BuildInfo.VersionLine);
        if (session.Positionals.Count > 0)
            return FlagParseResult.ForError("unexpected argument " + GoStrconv.Quote(session.Positionals[0]) + ": tinymetrics takes flags only");

        var options = session.Options;
        var invalid = ServerOptionsValidator.Validate(options);
        return invalid is null ? FlagParseResult.ForRun(options) : FlagParseResult.ForError(invalid);
    }
}
