namespace TinyMetrics.Discovery;

/// <summary>Compares label sets by their keys and values.</summary>
internal sealed class LabelSetContentComparer : IEqualityComparer<LabelSet>
{
    public static readonly LabelSetContentComparer Instance = new();

    public bool Equals(LabelSet? x, LabelSet? y) => x is null ? y is null : y is not null && x.ContentEquals(y);

    public int GetHashCode(LabelSet labels)
    {
        var hash = new HashCode();
        foreach (var (key, value) in labels.Pairs)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }
}
