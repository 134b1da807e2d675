using System.Net;

namespace TinyMetrics.Configuration;

// A converted flag argument; only the member matching the flag's kind is meaningful.
internal readonly record struct FlagValue
{
    public string Text { get; init; }
    public bool Boolean { get; init; }
    public long Integer { get; init; }
    public TimeSpan Duration { get; init; }
    public IPAddress? Address { get; init; }

    // For slice flags, every element given so far: pflag appends on repetition.
    public string[] List { get; init; }
}
