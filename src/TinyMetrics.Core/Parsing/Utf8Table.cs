using System.Buffers.Binary;
using System.Numerics;

namespace TinyMetrics.Parsing;

/// <summary>
/// A small open hash table keyed by UTF-8 bytes, so a hit costs one hash and one compare and allocates nothing.
/// Entries remember when (request time, Unix ns) they were last used; when the table is full, entries unused
/// for <see cref="RetentionNs"/> are dropped before it grows, which keeps it proportional to the live cluster
/// however pods churn and however scrape workers rotate between nodes.
/// </summary>
internal sealed class Utf8Table<TValue>
{
    /// <summary>Ten minutes: far longer than any scrape interval, so a live name is never dropped.</summary>
    public const long RetentionNs = 600_000_000_000;

    private int[] _buckets;   // entry index + 1; 0 = empty
    private Entry[] _entries;
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();
    private int _count;

    public Utf8Table(int capacity = 64)
    {
        capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 4));
        _buckets = new int[capacity];
        _entries = new Entry[capacity];
    }

    public int Count => _count;

    /// <summary>The value slot for <paramref name="key"/>; valid until the next call. New slots hold default.</summary>
    public ref TValue GetValueRefOrAddDefault(ReadOnlySpan<byte> key, long nowNs, out bool exists)
    {
        var hash = Hash(key);
        var i = Find(key, hash);
        exists = i >= 0;
        if (!exists)
            return ref Add(key, hash, nowNs).Value!;
        _entries[i].LastUsedNs = nowNs;
        return ref _entries[i].Value!;
    }

    public bool TryGetValue(ReadOnlySpan<byte> key, long nowNs, out TValue value)
    {
        var i = Find(key, Hash(key));
        if (i < 0)
        {
            value = default!;
            return false;
        }
        _entries[i].LastUsedNs = nowNs;
        value = _entries[i].Value!;
        return true;
    }

    private int Find(ReadOnlySpan<byte> key, int hash)
    {
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = _entries[i].Next)
        {
            if (_entries[i].Hash == hash && key.SequenceEqual(_entries[i].Key))
                return i;
        }
        return -1;
    }

    private ref Entry Add(ReadOnlySpan<byte> key, int hash, long nowNs)
    {
        if (_count == _entries.Length)
            MakeRoom(nowNs);
        var id = _count++;
        _entries[id] = new Entry { Key = key.ToArray(), Hash = hash, LastUsedNs = nowNs };
        Link(id);
        return ref _entries[id];
    }

    private void MakeRoom(long nowNs)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (nowNs - _entries[i].LastUsedNs <= RetentionNs)
                _entries[kept++] = _entries[i];
        }
        Array.Clear(_entries, kept, _count - kept);
        // Grow unless eviction freed at least a quarter; halving is not worth a rebuild.
        var capacity = kept > _entries.Length * 3 / 4 ? _entries.Length * 2 : _entries.Length;
        if (capacity != _entries.Length)
            Array.Resize(ref _entries, capacity);
        _buckets = new int[capacity];
        _count = kept;
        for (var i = 0; i < kept; i++)
            Link(i);
    }

    private void Link(int id)
    {
        ref var bucket = ref _buckets[_entries[id].Hash & (_buckets.Length - 1)];
        _entries[id].Next = bucket - 1;
        bucket = id + 1;
    }

    // Eight bytes per step: label sets run to ~100 bytes and HashCode.AddBytes works four at a time. The
    // per-table random seed keeps a hostile body from choosing colliding keys.
    private int Hash(ReadOnlySpan<byte> key)
    {
        const ulong prime = 0x9E3779B97F4A7C15;
        var hash = _seed ^ ((ulong)key.Length * prime);
        while (key.Length >= 8)
        {
            hash = BitOperations.RotateLeft((hash ^ BinaryPrimitives.ReadUInt64LittleEndian(key)) * prime, 29);
            key = key[8..];
        }
        ulong tail = 0;
        for (var i = 0; i < key.Length; i++)
            tail |= (ulong)key[i] << (8 * i);
        hash = (hash ^ tail) * prime;
        return (int)(hash ^ (hash >> 32));
    }

    private struct Entry
    {
        public byte[] Key;
        public TValue? Value;
        public int Hash;
        public int Next;
        public long LastUsedNs;
    }
}
