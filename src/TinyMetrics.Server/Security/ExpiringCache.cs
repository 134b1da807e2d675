namespace TinyMetrics.Security;

/// <summary>
/// A small thread-safe cache whose entries expire after their own TTL. Its size is bounded: when
/// full, expired entries go first, then everything (a burst of distinct callers must not grow memory).
/// </summary>
internal sealed class ExpiringCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public ExpiringCache(TimeProvider time, int capacity)
    {
        _time = time;
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (now < entry.ExpiresAt)
                {
                    value = entry.Value;
                    return true;
                }
                _entries.Remove(key);
            }
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
            return;
        var now = _time.GetTimestamp();
        var expiresAt = now + (long)(ttl.TotalSeconds * _time.TimestampFrequency);
        lock (_lock)
        {
            if (_entries.Count >= _capacity && !_entries.ContainsKey(key))
                Evict(now);
            _entries[key] = new Entry(value, expiresAt);
        }
    }

    private void Evict(long now)
    {
        List<TKey>? expired = null;
        foreach (var (key, entry) in _entries)
        {
            if (now >= entry.ExpiresAt)
                (expired ??= []).Add(key);
        }
        if (expired is null)
        {
            _entries.Clear();
            return;
        }
        foreach (var key in expired)
            _entries.Remove(key);
    }

    private readonly record struct Entry(TValue Value, long ExpiresAt);
}
