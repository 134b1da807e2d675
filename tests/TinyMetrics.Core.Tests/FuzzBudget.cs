using System.Runtime.CompilerServices;
using CsCheck;

namespace TinyMetrics.Tests;

/// <summary>
/// Iterations of each property test: a few thousand in the normal run (seconds), more for <c>make fuzz</c>, which
/// sets CsCheck_Iter, and a time per property for <c>make fuzz-long</c>, which sets FUZZ_SECONDS. A failure prints
/// the CsCheck seed that replays it (CsCheck_Seed).
/// </summary>
internal static class FuzzBudget
{
    private static readonly Lock LogGate = new();

    /// <summary>One of <paramref name="values"/>, shrinking towards the first.</summary>
    public static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    public static long Iter { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var iter) && iter > 0 ? iter : 3000;

    /// <summary>Seconds each property runs (FUZZ_SECONDS), or -1 to count <see cref="Iter"/> iterations instead.</summary>
    public static int Time { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SECONDS"), out var seconds) && seconds > 0 ? seconds : -1;

    /// <summary>
    /// Appends CsCheck's summary line (iterations and time) of the calling property to the file FUZZ_LOG names, so a
    /// long run leaves its figures; null, and so silent, when FUZZ_LOG is unset.
    /// </summary>
    public static Action<string>? Log([CallerFilePath] string file = "", [CallerMemberName] string property = "")
    {
        var path = Environment.GetEnvironmentVariable("FUZZ_LOG");
        if (string.IsNullOrEmpty(path))
            return null;
        var name = Path.GetFileNameWithoutExtension(file) + "." + property;
        return line =>
        {
            lock (LogGate)
                File.AppendAllText(path, name + ": " + line + Environment.NewLine);
        };
    }
}
