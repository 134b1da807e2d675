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

    /// <summary>Set exactly when <see cref="Kind"/> is <see cref="FlagParseKind.Run"/>.</summary>
    public ServerOptions? Options { get; }

    /// <summary>Help text, version line or error line; empty for <see cref="FlagParseKind.Run"/>.</summary>
    public string Text { get; }

    internal static FlagParseResult ForRun(ServerOptions options) => new(FlagParseKind.Run, options, "");

    internal static FlagParseResult ForText(FlagParseKind kind, string text) => new(kind, null, text);
}

/// <summary>
/// metrics-server's command line (metrics-server <c>cmd/metrics-server/app/options/options.go</c> and the
/// k8s.io/apiserver and component-base option sets it embeds), parsed as spf13/pflag does: <c>--flag=value</c>,
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
        var session = new Session();
        var error = session.Run(args);
        if (error is not null)
            return FlagParseResult.ForText(FlagParseKind.Error, error);
        if (session.HelpRequested)
            return FlagParseResult.ForText(FlagParseKind.Help, HelpText);
        if (session.VersionRequested)
            return FlagParseResult.ForText(FlagParseKind.Version, BuildInfo.VersionLine);
        if (session.Positionals.Count > 0)
        {
            return FlagParseResult.ForText(FlagParseKind.Error,
                "unexpected argument " + GoStrconv.Quote(session.Positionals[0]) + ": tinymetrics takes flags only");
        }

        var options = session.Options;
        var invalid = ServerOptionsValidator.Validate(options);
        return invalid is null ? FlagParseResult.ForRun(options) : FlagParseResult.ForText(FlagParseKind.Error, invalid);
    }

    // One run of pflag's argument loop (spf13/pflag parseArgs): long and short forms, interspersed
    // positionals, "--" terminator, slice flags that append on repetition. Stops at the first error.
    private sealed class Session
    {
        private readonly Dictionary<string, string[]> _lists = new(StringComparer.Ordinal);
        private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
        private readonly List<string> _warnings = [];
        private readonly List<string> _positionals = [];
        private ServerOptions _options = new();

        public bool HelpRequested { get; private set; }

        public bool VersionRequested { get; private set; }

        public IReadOnlyList<string> Positionals => _positionals;

        public ServerOptions Options => _options with { Warnings = [.. _warnings] };

        /// <summary>Consumes every argument; returns the first error line, or null.</summary>
        public string? Run(IReadOnlyList<string> args)
        {
            var next = 0;
            while (next < args.Count)
            {
                var arg = args[next++];
                if (arg.Length < 2 || arg[0] != '-')
                {
                    _positionals.Add(arg);
                    continue;
                }
                if (arg == "--")
                {
                    for (; next < args.Count; next++)
                        _positionals.Add(args[next]);
                    break;
                }
                var error = arg[1] == '-' ? ParseLong(arg, args, ref next) : ParseShorthands(arg, args, ref next);
                if (error is not null)
                    return error;
            }
            return null;
        }

        private string? ParseLong(string arg, IReadOnlyList<string> args, ref int next)
        {
            var body = arg.AsSpan(2);
            if (body[0] is '-' or '=')
                return "bad flag syntax: " + arg;
            var equals = body.IndexOf('=');
            var name = (equals < 0 ? body : body[..equals]).ToString();
            // Kubernetes commands normalize word separators, so --kubelet_port means --kubelet-port.
            var flag = FlagTable.Find(name.Replace('_', '-'));
            if (flag is null)
                return "unknown flag: --" + name;

            string value;
            if (equals >= 0)
                value = body[(equals + 1)..].ToString();
            else if (!flag.TakesValue)
                value = "true";
            else if (next < args.Count)
                value = args[next++];
            else
                return "flag needs an argument: " + arg;
            return Set(flag, value);
        }

        // "-abc" is a run of shorthands; a valued one takes the rest of the run ("-v4", "-v=4") or the next argument.
        private string? ParseShorthands(string arg, IReadOnlyList<string> args, ref int next)
        {
            var shorthands = arg.AsSpan(1);
            while (!shorthands.IsEmpty)
            {
                // pflag passes over what Go's testing package adds ("-test.v", "-test.run=…"), wherever the run reaches it.
                if (shorthands.StartsWith("test.", StringComparison.Ordinal))
                    return null;
                var c = shorthands[0];
                var flag = FlagTable.FindShorthand(c);
                if (flag is null)
                    return "unknown shorthand flag: " + GoStrconv.QuoteRune(c) + " in -" + shorthands.ToString();

                var rest = shorthands[1..];
                string value;
                if (shorthands.Length > 2 && shorthands[1] == '=')
                {
                    value = shorthands[2..].ToString();
                    rest = default;
                }
                else if (!flag.TakesValue)
                    value = "true";
                else if (shorthands.Length > 1)
                {
                    value = shorthands[1..].ToString();
                    rest = default;
                }
                else if (next < args.Count)
                    value = args[next++];
                else
                    return "flag needs an argument: " + GoStrconv.QuoteRune(c) + " in -" + shorthands.ToString();

                var error = Set(flag, value);
                if (error is not null)
                    return error;
                shorthands = rest;
            }
            return null;
        }

        private string? Set(Flag flag, string raw)
        {
            var soFar = _lists.GetValueOrDefault(flag.Name, []);
            if (!FlagValueParser.TryParse(flag, raw, soFar, out var value, out var error))
                return "invalid argument " + GoStrconv.Quote(raw) + " for " + GoStrconv.Quote(flag.DisplayName) + " flag: " + error;
            if (flag.Kind == FlagKind.StringSlice)
                _lists[flag.Name] = value.List;

            switch (flag.Action)
            {
                case FlagAction.Set:
                    _options = flag.Setter!(_options, value);
                    break;
                case FlagAction.Help:
                    HelpRequested = value.Boolean;
                    break;
                case FlagAction.Version:
                    VersionRequested = value.Boolean;
                    break;
                default:
                    if (_warned.Add(flag.Name))
                        _warnings.Add("flag --" + flag.Name + " is accepted for compatibility and ignored");
                    break;
            }
            return null;
        }
    }
}
