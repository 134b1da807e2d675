namespace TinyMetrics.Discovery;

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
