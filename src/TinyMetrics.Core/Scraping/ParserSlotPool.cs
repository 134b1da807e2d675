using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>
/// Lends <see cref="ParserSlot"/>s for one parse at a time. A node always parses in the same slot, so each
/// label set and name is cached once in the whole process, not once per slot that ever saw the node: with
/// slots taken from a free list, every slot ends up caching every node and memory per node grows with the
/// core count. There is one slot per core (created on first use); a parse waits for its slot's lock, which
/// is held only for the synchronous parse (tens of microseconds).
/// </summary>
internal sealed class ParserSlotPool
{
    private readonly ParserSlot?[] _slots;
    private readonly Lock _createLock = new();

    public ParserSlotPool(int slots = 0) => _slots = new ParserSlot?[slots > 0 ? slots : Environment.ProcessorCount];

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var slot in _slots)
                count += slot is null ? 0 : 1;
            return count;
        }
    }

    /// <summary>Called between cycles only: every batch from the previous cycle becomes reusable.</summary>
    public void BeginCycle()
    {
        foreach (var slot in _slots)
        {
            if (slot is null)
                continue;
            lock (slot)
                slot.BeginCycle();
        }
    }

    /// <summary>Parses <paramref name="body"/> of <paramref name="node"/> into a batch that stays valid until the next <see cref="BeginCycle"/>.</summary>
    /// <param name="summary">the body is a Summary API answer (JSON), not Prometheus text.</param>
    public bool TryParse(string node, ReadOnlySpan<byte> body, long defaultTimestampNs, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out NodeBatch? batch, out string? error, bool summary = false)
    {
        var slot = SlotOf(node);
        lock (slot)
        {
            batch = slot.RentBatch();
            var parsed = summary
                ? slot.SummaryParser.TryParse(body, defaultTimestampNs, batch, out error)
                : slot.Parser.TryParse(body, defaultTimestampNs, batch, out error);
            if (parsed)
                return true;
            slot.ReturnLastBatch();
            batch = null;
            return false;
        }
    }

    private ParserSlot SlotOf(string node)
    {
        // The process-wide string hash is stable for the process's life, which is all affinity needs.
        var index = (int)((uint)string.GetHashCode(node, StringComparison.Ordinal) % (uint)_slots.Length);
        var slot = Volatile.Read(ref _slots[index]);
        if (slot is not null)
            return slot;
        lock (_createLock)
            return _slots[index] ??= new ParserSlot();
    }
}

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

    private SummaryParser? _summaryParser;

    public ResourceMetricsParser Parser { get; } = new();

    /// <summary>Created on first use: most clusters have no node that needs the Summary API.</summary>
    public SummaryParser SummaryParser => _summaryParser ??= new();

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
