using System.Globalization;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>Parses the canonical quantities metrics.k8s.io emits (n/u/m/""/k suffixes; Ki/Mi/Gi).</summary>
public static class QuantityText
{
    public static decimal Parse(string text)
    {
        (string suffix, decimal factor)[] suffixes =
        [
            ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
            ("n", 1e-9m), ("u", 1e-6m), ("m", 1e-3m), ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m),
        ];
        foreach (var (suffix, factor) in suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
                return decimal.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
        }
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }

    public static long NanoCores(string text) => (long)(Parse(text) * 1_000_000_000m);

    public static long Bytes(string text) => (long)Parse(text);
}
