using System.Numerics;
using System.Text;

namespace TinyMetrics.Parsing;

/// <summary>
/// UTF-8 bytes → one shared <see cref="string"/> per distinct name, so a steady-state parse allocates nothing.
/// Ids are stable within one cycle only: <see cref="EndCycle"/> may compact the table when most names were
/// not seen in the cycle (pods come and go), which keeps it proportional to the live cluster.
/// </summary>
internal sealed class Utf8Interner
{
    private const int MinCapacity = 256;
    private const int CompactThreshold = 1024;

    private int[] _buckets = new int[MinCapacity];   // entry index + 1; 0 = empty
    private Entry[] _entries = new Entry[MinCapacity];
    private int _count;
    private int _cycle = 1;
    private int _usedThisCycle;

    public int Count => _count;

    public string Intern(ReadOnlySpan<byte> utf8, out int id)
    {
        var hash = Hash(utf8);
        for (var i = _buckets[hash & (_buckets.Length - 1)] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && utf8.SequenceEqual(entry.Bytes))
            {
                if (entry.LastUsed != _cycle)
                {
                    entry.LastUsed = _cycle;
                    _usedThisCycle++;
                }
                id = i;
                return entry.Value;
            }
        }
        id = Add(utf8, hash);
        return _entries[id].Value;
    }

    public void EndCycle()
    {
        if (_count > CompactThreshold && _count > 4 * _usedThisCycle)
            Rebuild(keepCycle: _cycle);
        _cycle++;
        _usedThisCycle = 0;
    }

    private int Add(ReadOnlySpan<byte> utf8, int hash)
    {
        if (_count == _entries.Length)
            Rebuild(keepCycle: 0);
        var id = _count++;
        var bytes = utf8.ToArray();
        _entries[id] = new Entry(bytes, Encoding.UTF8.GetString(bytes), hash, _cycle);
        Link(id);
        _usedThisCycle++;
        return id;
    }

    // keepCycle 0 keeps every entry (growth); otherwise only the entries used in that cycle survive.
    private void Rebuild(int keepCycle)
    {
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            if (keepCycle == 0 || _entries[i].LastUsed == keepCycle)
                _entries[kept++] = _entries[i];
        }
        var capacity = Math.Max(MinCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)kept * 2));
        var entries = new Entry[capacity];
        Array.Copy(_entries, entries, kept);
        _entries = entries;
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

    private static int Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = default(HashCode);
        hash.AddBytes(utf8);
        return hash.ToHashCode();
    }

    private struct Entry(byte[] bytes, string value, int hash, int lastUsed)
    {
        public readonly byte[] Bytes = bytes;
        public readonly string Value = value;
        public readonly int Hash = hash;
        public int LastUsed = lastUsed;
        public int Next;
    }
}
