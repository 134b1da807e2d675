using CsCheck;

namespace TinyMetrics.Tests;

/// <summary>
/// Iterations of each property test: a few thousand in the normal run (seconds), more for <c>make fuzz</c>, which
/// sets CsCheck_Iter. A failure prints the CsCheck seed that replays it (CsCheck_Seed).
/// </summary>
internal static class FuzzBudget
{
    /// <summary>One of <paramref name="values"/>, shrinking towards the first.</summary>
    public static Gen<string> Pick(params string[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    public static long Iter { get; } =
        long.TryParse(Environment.GetEnvironmentVariable("CsCheck_Iter"), out var iter) && iter > 0 ? iter : 3000;
}
