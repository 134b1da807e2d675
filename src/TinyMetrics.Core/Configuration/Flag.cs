using System.Globalization;

namespace TinyMetrics.Configuration;

// Terse constructors for the flag tables; each formats its default the way pflag prints it.
internal static class Flag
{
    public static FlagSpec Bool(string name, string usage, Func<ServerOptions, bool, ServerOptions> set, bool defaultValue = false) =>
        new()
        {
            Name = name,
            Kind = FlagKind.Bool,
            TypeName = "",
            Usage = usage,
            DefaultText = defaultValue ? "true" : "",
            Setter = (o, v) => set(o, v.Boolean),
        };

    public static FlagSpec String(string name, string usage, Func<ServerOptions, string, ServerOptions> set, string defaultValue = "", char shorthand = '\0') =>
        new()
        {
            Name = name,
            Shorthand = shorthand,
            Kind = FlagKind.String,
            TypeName = "string",
            Usage = usage,
            DefaultText = QuotedDefault(defaultValue),
            Setter = (o, v) => set(o, v.Text),
        };

    public static FlagSpec Int(string name, string usage, Func<ServerOptions, int, ServerOptions> set, int defaultValue = 0) =>
        new()
        {
            Name = name,
            Kind = FlagKind.Int,
            TypeName = "int",
            Usage = usage,
            DefaultText = IntDefault(defaultValue),
            Setter = (o, v) => set(o, (int)v.Integer),
        };

    public static FlagSpec Duration(string name, string usage, Func<ServerOptions, TimeSpan, ServerOptions> set, TimeSpan defaultValue) =>
        new()
        {
            Name = name,
            Kind = FlagKind.Duration,
            TypeName = "duration",
            Usage = usage,
            DefaultText = DurationDefault(defaultValue),
            Setter = (o, v) => set(o, v.Duration),
        };

    public static FlagSpec Strings(string name, string usage, Func<ServerOptions, string[], ServerOptions> set, string[] defaultValue) =>
        new()
        {
            Name = name,
            Kind = FlagKind.StringSlice,
            TypeName = "strings",
            Usage = usage,
            DefaultText = ListDefault(defaultValue),
            Setter = (o, v) => set(o, v.List),
        };

    public static FlagSpec NamedCertKeys(string name, string usage, Func<ServerOptions, NamedCertKey[], ServerOptions> set) =>
        new()
        {
            Name = name,
            Kind = FlagKind.NamedCertKey,
            TypeName = "namedCertKey",
            Usage = usage,
            DefaultText = "[]",
            Setter = (o, v) => set(o, Array.ConvertAll(v.List, NamedCertKey.Parse)),
        };

    public static FlagSpec Special(string name, char shorthand, string usage, FlagAction action) =>
        new() { Name = name, Shorthand = shorthand, Kind = FlagKind.Bool, TypeName = "", Usage = usage, Action = action };

    /// <summary>A flag metrics-server has and TinyMetrics accepts with a warning; its value is still checked by kind.</summary>
    public static FlagSpec Ignored(string name, FlagKind kind, string usage, string defaultText = "")
    {
        var typeName = kind switch
        {
            FlagKind.Bool => "",
            FlagKind.String => "string",
            FlagKind.Int => "int",
            FlagKind.Float => "float",
            FlagKind.Duration => "duration",
            FlagKind.Ip => "ip",
            FlagKind.StringSlice => "strings",
            _ => "string",
        };
        return Ignored(name, kind, typeName, usage, defaultText);
    }

    public static FlagSpec Ignored(string name, FlagKind kind, string typeName, string usage, string defaultText) =>
        new()
        {
            Name = name,
            Kind = kind,
            TypeName = typeName,
            Usage = usage,
            DefaultText = defaultText,
            Action = FlagAction.Ignore,
        };

    private static string QuotedDefault(string value) => value.Length == 0 ? "" : GoStrconv.Quote(value);

    private static string IntDefault(int value) => value == 0 ? "" : value.ToString(CultureInfo.InvariantCulture);

    private static string DurationDefault(TimeSpan value) => value == TimeSpan.Zero ? "" : GoDuration.Format(value);

    private static string ListDefault(string[] value) => value.Length == 0 ? "" : "[" + string.Join(',', value) + "]";
}
