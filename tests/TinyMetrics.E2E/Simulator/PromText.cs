using System.Globalization;
using System.Text.RegularExpressions;

namespace TinyMetrics.Simulator.Tests;

/// <summary>A strict little reader of Prometheus text for assertions: any malformed line fails the test.</summary>
public static partial class PromText
{
    public sealed record Sample(string Name, string Labels, double Value, long TimestampMs);

    public static (List<string> Families, List<Sample> Samples) Parse(string body)
    {
        var families = new List<string>();
        var samples = new List<Sample>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                families.Add(line.Split(' ')[2]);
                continue;
            }
            if (line.StartsWith('#'))
                continue;
            var m = SampleLine().Match(line);
            if (!m.Success)
                throw new FormatException("not a Prometheus sample: " + line);
            samples.Add(new Sample(m.Groups[1].Value, m.Groups[2].Value,
                double.Parse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture),
                m.Groups[4].Success ? long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture) : 0));
        }
        return (families, samples);
    }

    public static Sample Find(List<Sample> samples, string name, string labelFragment = "") =>
        samples.Single(s => s.Name == name && s.Labels.Contains(labelFragment, StringComparison.Ordinal));

    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})? (\S+)(?: (\d+))?$""")]
    private static partial Regex SampleLine();
}
