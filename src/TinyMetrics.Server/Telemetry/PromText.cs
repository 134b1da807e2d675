using System.Collections.Concurrent;

namespace TinyMetrics.Telemetry;

/// <summary>Helpers the labelled families share: label-value escaping and bounded series tables.</summary>
internal static class PromText
{
    /// <summary>A label value in the text format: backslash, double quote and newline escaped; the same string when none occurs.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny('\\', '"', '\n') < 0 ? value : value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>
    /// The series for <paramref name="key"/>, created on first use while the table holds fewer than
    /// <paramref name="max"/>; null past that, so label values a client controls cannot grow memory without bound.
    /// A lookup of an existing series does not allocate.
    /// </summary>
    public static TValue? Series<TKey, TValue>(ConcurrentDictionary<TKey, TValue> table, TKey key, int max, Func<TKey, TValue> create)
        where TKey : notnull
        where TValue : class
    {
        if (table.TryGetValue(key, out var value))
            return value;
        return table.Count < max ? table.GetOrAdd(key, create) : null;
    }
}
