using System.Collections.Frozen;

namespace TinyMetrics.Discovery;

/// <summary>
/// The watched objects of one kind, reduced to what TinyMetrics keeps. A change marks the store
/// dirty only when the kept value differs, so status heartbeats that touch nothing we keep cost a
/// comparison, not a new <see cref="ClusterView"/>.
/// </summary>
internal abstract class ObjectStore<TItem, TKey, TValue> : IWatchSink<TItem>
    where TKey : notnull
    where TValue : class
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, TValue> _items;
    private readonly Action _changed;

    // Guarded by _lock.
    private bool _dirty;
    private bool _synced;
    private FrozenDictionary<TKey, TValue> _frozen = FrozenDictionary<TKey, TValue>.Empty;

    protected ObjectStore(IEqualityComparer<TKey>? comparer, Action changed)
    {
        _items = new Dictionary<TKey, TValue>(comparer);
        _changed = changed;
    }

    public bool IsSynced
    {
        get { lock (_lock) return _synced; }
    }

    public void Replace(List<TItem> items)
    {
        var next = new Dictionary<TKey, TValue>(items.Count, _items.Comparer);
        foreach (var item in items)
        {
            if (TryMap(item, out var key, out var value))
                next[key] = value;
        }
        lock (_lock)
        {
            var dirty = !_synced || next.Count != _items.Count;
            foreach (var (key, value) in next)
            {
                if (!dirty && (!_items.TryGetValue(key, out var old) || !Same(old, value)))
                    dirty = true;
            }
            _synced = true;
            if (!dirty)
                return;
            _items.Clear();
            foreach (var (key, value) in next)
                _items[key] = value;
            _dirty = true;
        }
        _changed();
    }

    public void Upsert(TItem item)
    {
        if (!TryMap(item, out var key, out var value))
            return;
        lock (_lock)
        {
            if (_items.TryGetValue(key, out var old) && Same(old, value))
                return;
            _items[key] = value;
            _dirty = true;
        }
        _changed();
    }

    public void Delete(TItem item)
    {
        if (!TryMap(item, out var key, out _))
            return;
        lock (_lock)
        {
            if (!_items.Remove(key))
                return;
            _dirty = true;
        }
        _changed();
    }

    /// <summary>The current contents, rebuilt only when something changed since the last call.</summary>
    public FrozenDictionary<TKey, TValue> Freeze()
    {
        lock (_lock)
        {
            if (_dirty)
            {
                _frozen = _items.ToFrozenDictionary(_items.Comparer);
                _dirty = false;
            }
            return _frozen;
        }
    }

    protected abstract bool TryMap(TItem item, out TKey key, out TValue value);

    protected abstract bool Same(TValue a, TValue b);
}
