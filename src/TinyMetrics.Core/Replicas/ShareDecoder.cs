using System.Buffers.Binary;
using System.Text;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas;

/// <summary>
/// Reads peers' shares (<see cref="ShareBuilder"/>'s format) into node results: only the nodes asked for, into
/// batches reused per node from cycle to cycle, with names interned so a steady-state decode allocates no strings.
/// Single-threaded, as the scrape loop that owns it. A batch stays valid until the next <see cref="BeginCycle"/>.
/// </summary>
internal sealed class ShareDecoder
{
    private readonly Dictionary<string, PooledBatch> _batches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _generation;

    /// <summary>Starts a cycle: the batches of the last one may be reused from now on.</summary>
    public void BeginCycle()
    {
        _generation++;
        // Nodes no peer has sent for a while give their batches back; names of deleted pods go the same way.
        if (_batches.Count > 64)
        {
            foreach (var (name, pooled) in _batches)
            {
                if (_generation - pooled.Generation > 4)
                    _batches.Remove(name);
            }
        }
        if (_names.Count > 1 << 20)
            _names.Clear();
    }

    /// <summary>
    /// Adds the records of <paramref name="share"/> whose node is in <paramref name="wanted"/> to <paramref name="into"/>
    /// (each with the name instance from <paramref name="wanted"/>), except those scraped before <paramref name="oldestNs"/>
    /// (Unix ns). False, with nothing added, for a malformed share.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> share, HashSet<string> wanted, long oldestNs, List<NodeScrapeResult> into)
    {
        var added = into.Count;
        var reader = new Reader(share);
        if (!reader.TryReadHeader(out var count) || !TryReadRecords(ref reader, count, wanted, oldestNs, into) || !reader.AtEnd)
        {
            into.RemoveRange(added, into.Count - added);
            return false;
        }
        return true;
    }

    private bool TryReadRecords(ref Reader reader, int count, HashSet<string> wanted, long oldestNs, List<NodeScrapeResult> into)
    {
        var lookup = wanted.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> chars = stackalloc char[256];
        for (var r = 0; r < count; r++)
        {
            if (!reader.TryReadString(out var nameBytes) || !reader.TryReadHead(out var kind, out var elapsedMs, out var scrapedNs))
                return false;
            string? node = null;
            if (scrapedNs >= oldestNs && nameBytes.Length <= chars.Length && Encoding.UTF8.TryGetChars(nameBytes, chars, out var written)
                && lookup.TryGetValue(chars[..written], out var found))
                node = found;
            if (kind == ShareBuilder.FailureKind)
            {
                if (!reader.TryReadString(out var reason) || !reader.TryReadString(out var error))
                    return false;
                if (node is not null)
                    into.Add(new NodeScrapeResult(node, null, Encoding.UTF8.GetString(error), elapsedMs, Intern(reason), FromPeer: true));
                continue;
            }
            if (kind != ShareBuilder.BatchKind)
                return false;
            var batch = node is null ? null : BatchFor(node);
            if (!TryReadBatch(ref reader, batch))
                return false;
            if (node is not null)
                into.Add(new NodeScrapeResult(node, batch, null, elapsedMs, FromPeer: true));
        }
        return true;
    }

    // A batch for a node not wanted is read (to move past it) into nothing.
    private bool TryReadBatch(ref Reader reader, NodeBatch? batch)
    {
        batch?.Clear();
        if (!reader.TryReadByte(out var hasNode))
            return false;
        if (hasNode == 1)
        {
            if (!reader.TryReadPoint(out var point))
                return false;
            batch?.SetNode(point);
        }
        if (!reader.TryReadInt32(out var invalid) || !reader.TryReadInt32(out var containers) || containers < 0)
            return false;
        if (batch is not null)
            batch.InvalidSamples = invalid;
        for (var c = 0; c < containers; c++)
        {
            if (!reader.TryReadString(out var ns) || !reader.TryReadString(out var pod) || !reader.TryReadString(out var container)
                || !reader.TryReadPoint(out var point))
                return false;
            batch?.AddContainer(new ContainerSample(Intern(ns), Intern(pod), Intern(container), point));
        }
        return true;
    }

    private NodeBatch BatchFor(string node)
    {
        if (!_batches.TryGetValue(node, out var pooled))
            _batches[node] = pooled = new PooledBatch();
        pooled.Generation = _generation;
        return pooled.Batch;
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[256];
        if (utf8.Length > chars.Length || !Encoding.UTF8.TryGetChars(utf8, chars, out var written))
            return Encoding.UTF8.GetString(utf8);
        var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..written], out var name))
            return name;
        name = new string(chars[..written]);
        _names.Add(name);
        return name;
    }

    private sealed class PooledBatch
    {
        public NodeBatch Batch { get; } = new();

        public int Generation { get; set; }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool TryReadHeader(out int count)
        {
            count = 0;
            if (_rest.Length < 8 || !_rest[..4].SequenceEqual(ShareBuilder.Magic))
                return false;
            count = BinaryPrimitives.ReadInt32LittleEndian(_rest[4..]);
            _rest = _rest[8..];
            return count >= 0;
        }

        public bool TryReadHead(out byte kind, out double elapsedMs, out long scrapedNs)
        {
            kind = 0;
            elapsedMs = 0;
            scrapedNs = 0;
            if (_rest.Length < 17)
                return false;
            kind = _rest[0];
            elapsedMs = BinaryPrimitives.ReadDoubleLittleEndian(_rest[1..]);
            scrapedNs = BinaryPrimitives.ReadInt64LittleEndian(_rest[9..]);
            _rest = _rest[17..];
            return true;
        }

        public bool TryReadByte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
                return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool TryReadInt32(out int value)
        {
            value = 0;
            if (_rest.Length < 4)
                return false;
            value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
            _rest = _rest[4..];
            return true;
        }

        public bool TryReadString(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (_rest.Length < 2)
                return false;
            var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
            if (_rest.Length < 2 + length)
                return false;
            value = _rest.Slice(2, length);
            _rest = _rest[(2 + length)..];
            return true;
        }

        public bool TryReadPoint(out MetricPoint point)
        {
            point = default;
            if (_rest.Length < ShareBuilder.PointBytes)
                return false;
            var swap = BinaryPrimitives.ReadUInt64LittleEndian(_rest[32..]);
            point = new MetricPoint(
                BinaryPrimitives.ReadInt64LittleEndian(_rest),
                BinaryPrimitives.ReadInt64LittleEndian(_rest[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(_rest[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(_rest[24..]),
                swap == 0 ? default : SwapUsage.Of(swap - 1));
            _rest = _rest[ShareBuilder.PointBytes..];
            return true;
        }
    }
}
