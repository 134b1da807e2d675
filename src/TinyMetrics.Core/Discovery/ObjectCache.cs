using System.Collections.Frozen;

namespace TinyMetrics.Discovery;

/// <summary>
/// The watched objects of one kind, reduced to what TinyMetrics keeps. A change marks the store
/// dirty only when the kept value differs, so status heartbeats that touch nothing we keep cost a
/// comparison, not a new <see cref="ClusterView"/>.
/// </summary>
internal abstract class ObjectCache<TItem, TKey, TValue> : IWatchSink<TItem>
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

    protected ObjectCache(IEqualityComparer<TKey>? comparer, Action changed)
    {
        _items = new Dictionary<TKey, TValue>(comparer);
        _changed = changed;
    }

    public bool IsSynced
    {
        get { lock (_lock) return _synced; }
    }

    public IReplaceBatch<TItem> BeginReplace() => new ReplaceBatch(this);

    private void Commit(Dictionary<TKey, TValue> next)
    {
        lock (_lock)
        {
            var dirty = !_synced || next.Count != _items.Count;
            foreach (var (key, value) in next)
            {
                if (dirty)
                    break;
                dirty = !_items.TryGetValue(key, out var old) || !Same(old, value);
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

    private sealed class ReplaceBatch : IReplaceBatch<TItem>
    {
        private readonly ObjectCache<TItem, TKey, TValue> _store;
        private readonly Dictionary<TKey, TValue> _next;

        public ReplaceBatch(ObjectCache<TItem, TKey, TValue> store)
        {
            _store = store;
            _next = new Dictionary<TKey, TValue>(store._items.Comparer);
        }

        public int Count => _next.Count;

        public void Add(TItem item)
        {
            if (_store.TryMap(item, out var key, out var value))
                _next[key] = value;
        }

        public void Commit() => _store.Commit(_next);
    }

    protected abstract bool TryMap(TItem item, out TKey key, out TValue value);

    protected abstract bool Same(TValue a, TValue b);
}
