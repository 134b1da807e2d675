using TinyMetrics.Storage;

namespace TinyMetrics.Api;

/// <summary>Label and field selectors applied to the i-th node or pod of a snapshot.</summary>
internal readonly struct ItemFilter
{
    private readonly MetricsSnapshot _snapshot;
    private readonly bool _isPods;
    private readonly LabelSelector? _labels;
    private readonly FieldSelector? _fields;

    public ItemFilter(MetricsSnapshot snapshot, bool isPods, LabelSelector? labels, FieldSelector? fields)
    {
        _snapshot = snapshot;
        _isPods = isPods;
        _labels = labels is { IsEmpty: false } ? labels : null;
        _fields = fields is { IsEmpty: false } ? fields : null;
    }

    public bool IsEmpty => _labels is null && _fields is null;

    public bool Matches(int index)
    {
        if (_isPods)
        {
            var pod = _snapshot.Pods[index];
            return (_labels is null || _labels.Matches(pod.Labels)) && (_fields is null || _fields.Matches(pod.Name, pod.Namespace));
        }
        var node = _snapshot.Nodes[index];
        return (_labels is null || _labels.Matches(node.Labels)) && (_fields is null || _fields.Matches(node.Name, null));
    }
}
