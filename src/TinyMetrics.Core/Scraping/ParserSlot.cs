using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// A parser (with its interning table) and the batches it filled, kept across cycles. Each slot serves a
/// fixed share of the nodes (<see cref="ParserSlotPool"/>). Batches handed out in a cycle stay untouched
/// until the next <see cref="BeginCycle"/>, which lets results reference them without copying.
/// </summary>
internal sealed class ParserSlot
{
    private const int MinKept = 8;

    private readonly List<NodeBatch> _batches = [];
    private int _used;

    public ResourceMetricsParser Parser { get; } = new();

    public void BeginCycle()
    {
        // A cluster that shrank gives its batches back instead of pinning them forever.
        var keep = Math.Max(_used, MinKept);
        if (_batches.Count > 2 * keep)
            _batches.RemoveRange(keep, _batches.Count - keep);
        _used = 0;
    }

    public NodeBatch RentBatch()
    {
        if (_used == _batches.Count)
            _batches.Add(new NodeBatch());
        return _batches[_used++];
    }

    /// <summary>Gives back the batch of the last <see cref="RentBatch"/> (its parse failed).</summary>
    public void ReturnLastBatch() => _used--;
}
