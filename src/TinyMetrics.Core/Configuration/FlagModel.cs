using System.Globalization;
using System.Net;

namespace TinyMetrics.Configuration;

// How a flag's value is read; decides whether it takes an argument and which Go parser it mirrors.
internal enum FlagKind
{
    Bool,
    String,
    Int,
    Level,
    Float,
    Duration,
    Ip,
    StringSlice,

    // pflag's NamedCertKeyArray: "cert,key[:names]", appended on repetition, never split on commas.
    NamedCertKey,

    // Valued, but TinyMetrics never reads it (quantity, pattern=N,..., colonSeparatedMultimapStringString …): taken verbatim.
    Text,
}

// What setting a flag does beyond (or instead of) changing ServerOptions.
internal enum FlagAction
{
    Set,
    Ignore,
    Help,
    Version,
}

// A converted flag argument; only the member matching the flag's kind is meaningful.
internal readonly record struct FlagValue
{
    public string Text { get; init; }
    public bool Boolean { get; init; }
    public long Integer { get; init; }
    public TimeSpan Duration { get; init; }
    public IPAddress? Address { get; init; }
    public NamedCertKey? CertKey { get; init; }

    // For slice flags, every element given so far: pflag appends on repetition.
    public string[] List { get; init; }
}

// One command-line flag: its name, how its value is read, how it shows in --help and what it sets.
// The terse constructors the flag tables use format each default the way pflag prints it.
internal sealed class Flag
{
    public required string Name { get; init; }

    /// <summary>Single-letter alias, or '\0'.</summary>
    public char Shorthand { get; init; }

    public required FlagKind Kind { get; init; }

    /// <summary>Type word shown in help ("string", "duration", "strings", "Level"…); empty for booleans.</summary>
    public required string TypeName { get; init; }

    /// <summary>Default as pflag prints it, or empty when pflag omits it (zero value).</summary>
    public string DefaultText { get; init; } = "";

    public required string Usage { get; init; }

    public FlagAction Action { get; init; } = FlagAction.Set;

    /// <summary>Returns a copy of the options with this flag applied (a <c>with</c> expression: no reflection).</summary>
    public Func<ServerOptions, FlagValue, ServerOptions>? Setter { get; init; }

    public bool TakesValue => Kind != FlagKind.Bool;

    /// <summary>The name pflag uses in "invalid argument" messages: "--name" or "-l, --name".</summary>
    public string DisplayName => Shorthand == '\0' ? "--" + Name : "-" + Shorthand + ", --" + Name;

    public static Flag Bool(string name, string usage, Func<ServerOptions, bool, ServerOptions> set) =>
        new() { Name = name, Kind = FlagKind.Bool, TypeName = "", Usage = usage, Setter = (o, v) => set(o, v.Boolean) };

    public static Flag String(string name, string usage, Func<ServerOptions, string, ServerOptions> set, string defaultValue = "", char shorthand = '\0') =>
        new()
        {
            Name = name, Shorthand = shorthand, Kind = FlagKind.String, TypeName = "string", Usage = usage,
            DefaultText = defaultValue.Length == 0 ? "" : GoStrconv.Quote(defaultValue),
            Setter = (o, v) => set(o, v.Text),
        };

    public static Flag Int(string name, string usage, Func<ServerOptions, int, ServerOptions> set, int defaultValue = 0) =>
        new()
        {
            Name = name, Kind = FlagKind.Int, TypeName = "int", Usage = usage,
            DefaultText = defaultValue == 0 ? "" : defaultValue.ToString(CultureInfo.InvariantCulture),
            Setter = (o, v) => set(o, (int)v.Integer),
        };

    // klog's -v: a decimal Level (no 0x prefixes), zero by default.
    public static Flag Level(string name, char shorthand, string usage, Func<ServerOptions, int, ServerOptions> set) =>
        new()
        {
            Name = name, Shorthand = shorthand, Kind = FlagKind.Level, TypeName = "Level", Usage = usage,
            Setter = (o, v) => set(o, (int)v.Integer),
        };

    public static Flag Duration(string name, string usage, Func<ServerOptions, TimeSpan, ServerOptions> set, TimeSpan defaultValue) =>
        new()
        {
            Name = name, Kind = FlagKind.Duration, TypeName = "duration", Usage = usage,
            DefaultText = defaultValue == TimeSpan.Zero ? "" : GoDuration.Format(defaultValue),
            Setter = (o, v) => set(o, v.Duration),
        };

    public static Flag Ip(string name, string usage, Func<ServerOptions, IPAddress, ServerOptions> set, string defaultText) =>
        new() { Name = name, Kind = FlagKind.Ip, TypeName = "ip", DefaultText = defaultText, Usage = usage, Setter = (o, v) => v.Address is { } address ? set(o, address) : o };

    public static Flag Strings(string name, string usage, Func<ServerOptions, string[], ServerOptions> set, string[] defaultValue) =>
        new()
        {
            Name = name, Kind = FlagKind.StringSlice, TypeName = "strings", Usage = usage,
            DefaultText = defaultValue.Length == 0 ? "" : "[" + string.Join(',', defaultValue) + "]",
            Setter = (o, v) => set(o, v.List),
        };

    // Each occurrence adds one pair; the default is empty, so appending to the options is pflag's append.
    public static Flag NamedCertKeys(string name, string usage, Func<ServerOptions, NamedCertKey, ServerOptions> add) =>
        new()
        {
            Name = name, Kind = FlagKind.NamedCertKey, TypeName = "namedCertKey", Usage = usage, DefaultText = "[]",
            Setter = (o, v) => add(o, v.CertKey!),
        };

    public static Flag Special(string name, char shorthand, string usage, FlagAction action) =>
        new() { Name = name, Shorthand = shorthand, Kind = FlagKind.Bool, TypeName = "", Usage = usage, Action = action };

    /// <summary>A flag metrics-server has and TinyMetrics accepts with a warning; its value is still checked by kind.</summary>
    public static Flag Ignored(string name, FlagKind kind, string typeName, string defaultText, string usage) =>
        new() { Name = name, Kind = kind, TypeName = typeName, DefaultText = defaultText, Usage = "[ignored] " + usage, Action = FlagAction.Ignore };
}
