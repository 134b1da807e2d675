using System.Collections.Frozen;

namespace TinyMetrics.Discovery;

/// <summary>
/// The watched objects of one kind, reduced to what TinyMetrics keeps. A change marks the store
/// dirty only when the kept value differs, so status heartbeats that touch nothing we keep cost a
/// comparison, not a new <see cref="ClusterView"/>.
/// </summary>
internal abstract class ObjectCache<TItem, TKey, TValue> : IWatchSink<TItem>
    where TItem : IKubeItem
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

    // The resourceVersion of the last list or event applied, guarded by _lock: what the contents are as of.
    private string _resourceVersion = "";

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

    private void Commit(Dictionary<TKey, TValue> next, string resourceVersion)
    {
        lock (_lock)
        {
            _resourceVersion = resourceVersion;
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
            Advance(item);
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
            Advance(item);
            if (!_items.Remove(key))
                return;
            _dirty = true;
        }
        _changed();
    }

    // Guarded by _lock. An event without a resourceVersion leaves the last one.
    private void Advance(TItem item)
    {
        if (item.ResourceVersion is { Length: > 0 } rv)
            _resourceVersion = rv;
    }

    /// <summary>
    /// The current contents, rebuilt only when something changed since the last call, and the resourceVersion
    /// they are as of (read together, so an event between the two cannot make the version newer than the contents).
    /// </summary>
    public FrozenDictionary<TKey, TValue> Freeze(out string resourceVersion)
    {
        lock (_lock)
        {
            if (_dirty)
            {
                _frozen = _items.ToFrozenDictionary(_items.Comparer);
                _dirty = false;
            }
            resourceVersion = _resourceVersion;
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

        public void Commit(string resourceVersion) => _store.Commit(_next, resourceVersion);
    }

    protected abstract bool TryMap(TItem item, out TKey key, out TValue value);

    protected abstract bool Same(TValue a, TValue b);
}
