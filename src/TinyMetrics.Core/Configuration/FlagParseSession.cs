namespace TinyMetrics.Configuration;

// One run of pflag's argument loop (spf13/pflag parseArgs): long and short forms, interspersed
// positionals, "--" terminator, slice flags that append on repetition. Stops at the first error.
internal sealed class FlagParseSession
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
            var c = shorthands[0];
            var flag = FlagTable.FindShorthand(c);
            if (flag is null)
                return "unknown shorthand flag: '" + c + "' in -" + shorthands.ToString();

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
                return "flag needs an argument: '" + c + "' in -" + shorthands.ToString();

            var error = Set(flag, value);
            if (error is not null)
                return error;
            shorthands = rest;
        }
        return null;
    }

    private string? Set(FlagSpec flag, string raw)
    {
        var soFar = _lists.GetValueOrDefault(flag.Name, []);
        if (!FlagValueParser.TryParse(flag, raw, soFar, out var value, out var error))
            return "invalid argument " + GoStrconv.Quote(raw) + " for " + GoStrconv.Quote(flag.DisplayName) + " flag: " + error;
        if (flag.Kind is FlagKind.StringSlice or FlagKind.NamedCertKey)
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
