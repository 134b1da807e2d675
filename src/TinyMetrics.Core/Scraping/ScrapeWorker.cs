using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// One worker's private state, kept across cycles: its parser (with its interning table), its body
/// buffer and its pool of batches. Batches handed out in a cycle stay untouched until the next
/// <see cref="BeginCycle"/>, which is what lets results reference them without copying.
/// </summary>
internal sealed class ScrapeWorker
{
    private readonly List<NodeBatch> _batches = [];
    private int _used;

    public ResourceMetricsParser Parser { get; } = new();

    public ScrapeBuffer Buffer { get; } = new();

    public void BeginCycle()
    {
        // A cluster that shrank gives its batches back instead of pinning them forever.
        if (_batches.Count > 2 * Math.Max(_used, 8))
            _batches.RemoveRange(Math.Max(_used, 8), _batches.Count - Math.Max(_used, 8));
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
