namespace TinyMetrics.Discovery;

/// <summary>
/// Immutable labels of a node or pod, sorted by key (ordinal) so JSON output is already in
/// Go's map order and lookups are a binary search.
/// </summary>
public sealed class LabelSet
{
    public static readonly LabelSet Empty = new([]);

    private readonly KeyValuePair<string, string>[] _pairs;

    private LabelSet(KeyValuePair<string, string>[] sortedPairs) => _pairs = sortedPairs;

    public int Count => _pairs.Length;

    public ReadOnlySpan<KeyValuePair<string, string>> Pairs => _pairs;

    public static LabelSet From(IEnumerable<KeyValuePair<string, string>>? labels)
    {
        if (labels is null)
            return Empty;
        var pairs = new List<KeyValuePair<string, string>>(labels);
        if (pairs.Count == 0)
            return Empty;
        pairs.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new LabelSet([.. pairs]);
    }

    public bool TryGetValue(string key, out string value)
    {
        int lo = 0, hi = _pairs.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(_pairs[mid].Key, key);
            if (cmp == 0)
            {
                value = _pairs[mid].Value;
                return true;
            }
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid - 1;
        }
        value = "";
        return false;
    }

    public bool ContentEquals(LabelSet other)
    {
        if (ReferenceEquals(this, other))
            return true;
        return Pairs.SequenceEqual(other.Pairs);
    }
}
