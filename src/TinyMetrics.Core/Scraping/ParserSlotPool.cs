using TinyMetrics.Parsing;

namespace TinyMetrics.Scraping;

/// <summary>Lends <see cref="ParserSlot"/>s for one parse at a time; grows on demand and never shrinks.</summary>
internal sealed class ParserSlotPool
{
    private readonly Lock _lock = new();
    private readonly List<ParserSlot> _all = [];
    private readonly Stack<ParserSlot> _idle = new();

    public int Count
    {
        get { lock (_lock) return _all.Count; }
    }

    /// <summary>Called between cycles only: every batch from the previous cycle becomes reusable.</summary>
    public void BeginCycle()
    {
        lock (_lock)
        {
            foreach (var slot in _all)
                slot.BeginCycle();
        }
    }

    /// <summary>Parses <paramref name="body"/> into a batch that stays valid until the next <see cref="BeginCycle"/>.</summary>
    public bool TryParse(ReadOnlySpan<byte> body, long defaultTimestampNs, out NodeBatch? batch, out string? error)
    {
        var slot = Take();
        try
        {
            batch = slot.RentBatch();
            if (slot.Parser.TryParse(body, defaultTimestampNs, batch, out error))
                return true;
            slot.ReturnLastBatch();
            batch = null;
            return false;
        }
        finally
        {
            Return(slot);
        }
    }

    private ParserSlot Take()
    {
        lock (_lock)
        {
            if (_idle.TryPop(out var slot))
                return slot;
            slot = new ParserSlot();
            _all.Add(slot);
            return slot;
        }
    }

    private void Return(ParserSlot slot)
    {
        lock (_lock)
            _idle.Push(slot);
    }
}
