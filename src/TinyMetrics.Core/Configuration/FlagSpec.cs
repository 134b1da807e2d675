namespace TinyMetrics.Configuration;

// One command-line flag: its name, how its value is read, how it shows in --help and what it sets.
internal sealed class FlagSpec
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

    public FlagSetter? Setter { get; init; }

    public bool TakesValue => Kind != FlagKind.Bool;

    /// <summary>The name pflag uses in "invalid argument" messages: "--name" or "-l, --name".</summary>
    public string DisplayName => Shorthand == '\0' ? "--" + Name : "-" + Shorthand + ", --" + Name;
}
