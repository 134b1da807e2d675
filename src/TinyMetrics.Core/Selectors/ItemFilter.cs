using System.Buffers;
using TinyMetrics.Storage;

namespace TinyMetrics.Selectors;

/// <summary>
/// Label and field selectors applied to the i-th node or pod of a snapshot. The label verdict is
/// memoised per distinct label set for the duration of one request; dispose to return the memo.
/// </summary>
internal readonly struct ItemFilter : IDisposable
{
    private readonly MetricsSnapshot _snapshot;
    private readonly bool _isPods;
    private readonly LabelSelector? _labels;
    private readonly FieldSelector? _fields;
    private readonly LabelIds _labelIds;

    // 0 = not evaluated yet, 1 = matches, -1 = does not; rented, so a query allocates nothing.
    private readonly sbyte[]? _verdicts;

    public ItemFilter(MetricsSnapshot snapshot, LabelIds labelIds, bool isPods, LabelSelector? labels, FieldSelector? fields)
    {
        _snapshot = snapshot;
        _isPods = isPods;
        _labelIds = labelIds;
        _labels = labels is { IsEmpty: false } ? labels : null;
        _fields = fields is { IsEmpty: false } ? fields : null;
        if (_labels is not null)
        {
            _verdicts = ArrayPool<sbyte>.Shared.Rent(Math.Max(1, labelIds.Distinct.Length));
            Array.Clear(_verdicts, 0, labelIds.Distinct.Length);
        }
    }

    public bool IsEmpty => _labels is null && _fields is null;

    public bool Matches(int index)
    {
        if (_verdicts is not null && !LabelsMatch(index))
            return false;
        if (_fields is null)
            return true;
        if (_isPods)
        {
            var pod = _snapshot.Pods[index];
            return _fields.Matches(pod.Name, pod.Namespace);
        }
        return _fields.Matches(_snapshot.Nodes[index].Name, null);
    }

    public void Dispose()
    {
        if (_verdicts is not null)
            ArrayPool<sbyte>.Shared.Return(_verdicts);
    }

    private bool LabelsMatch(int index)
    {
        var id = _labelIds.Ids[index];
        ref var verdict = ref _verdicts![id];
        if (verdict == 0)
            verdict = _labels!.Matches(_labelIds.Distinct[id]) ? (sbyte)1 : (sbyte)-1;
        return verdict > 0;
    }
}
