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

/// <summary>
/// Makes pods with equal labels share one <see cref="LabelSet"/>: the pods of a ReplicaSet carry
/// identical labels, so a 30,000-pod cluster keeps a few thousand sets instead of 30,000, and a
/// label-selected list can judge each set once. Generational, so sets of deleted workloads age
/// out without reference counting: when the young table outgrows the old one, the old is dropped.
/// Single-threaded (the pod watch loop).
/// </summary>
internal sealed class LabelSetInterner
{
    private const int MinGeneration = 1024;

    private Dictionary<LabelSet, LabelSet> _young = new(LabelSetContentComparer.Instance);
    private Dictionary<LabelSet, LabelSet> _old = new(LabelSetContentComparer.Instance);

    public int Count => _young.Count + _old.Count;

    public LabelSet Intern(LabelSet labels)
    {
        if (labels.Count == 0)
            return LabelSet.Empty;
        if (_young.TryGetValue(labels, out var shared))
            return shared;
        if (_old.Remove(labels, out shared))
        {
            _young.Add(shared, shared);
            return shared;
        }
        if (_young.Count >= Math.Max(MinGeneration, _old.Count))
        {
            _old = _young;
            _young = new Dictionary<LabelSet, LabelSet>(LabelSetContentComparer.Instance);
        }
        _young.Add(labels, labels);
        return labels;
    }
}

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
