namespace TinyMetrics.Discovery;

internal sealed class PodCache : ObjectCache<PodObject, PodKey, PodInfo>
{
    private readonly LabelSetInterner _labels = new();

    public PodCache(Action changed)
        : base(null, changed)
    {
    }

    protected override bool TryMap(PodObject item, out PodKey key, out PodInfo value)
    {
        var meta = item.Metadata;
        if (meta?.Name is not { Length: > 0 } name || meta.Namespace is not { Length: > 0 } ns)
        {
            key = default;
            value = null!;
            return false;
        }
        key = new PodKey(ns, name);
        value = new PodInfo(ns, name, _labels.Intern(LabelSet.From(meta.Labels)));
        return true;
    }

    protected override bool Same(PodInfo a, PodInfo b) => a.Labels.ContentEquals(b.Labels);
}
