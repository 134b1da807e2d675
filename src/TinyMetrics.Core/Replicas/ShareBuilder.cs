using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using TinyMetrics.Parsing;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas;

/// <summary>
/// Writes a share: one replica's newest scrape of its nodes, as parsed points (not rates), so each peer's store
/// rates the same points and serves the same numbers. Little-endian, length-prefixed UTF-8 names:
/// <code>
/// share     = "TMS1" count:i32 record*
/// record    = name:str kind:u8 elapsedMs:f64 scrapedNs:i64 (batch | failure)
/// batch     = hasNode:u8 [point] invalid:i32 containers:i32 (ns:str pod:str container:str point)*
/// failure   = reason:str error:str
/// point     = startNs:i64 timestampNs:i64 cpuNs:u64 memoryBytes:u64 swapPlusOne:u64   (0: no swap reported)
/// str       = length:u16 utf8
/// </code>
/// The buffer is reused between shares; <see cref="ToArray"/> copies the finished share out.
/// </summary>
internal sealed class ShareBuilder
{
    public static ReadOnlySpan<byte> Magic => "TMS1"u8;

    public const byte BatchKind = 0;
    public const byte FailureKind = 1;
    public const int PointBytes = 40;

    private byte[] _buffer = new byte[64 * 1024];
    private int _written;
    private int _count;

    public int Count => _count;

    /// <summary>The bytes written so far, header included.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public void Begin()
    {
        _written = 0;
        _count = 0;
        Magic.CopyTo(Reserve(8));
    }

    /// <summary>Appends one node's outcome; answers where its record starts in <see cref="Written"/>.</summary>
    public int Add(in NodeScrapeResult result, long scrapedNs)
    {
        var start = _written;
        WriteString(result.NodeName);
        var head = Reserve(17);
        head[0] = result.Batch is null ? FailureKind : BatchKind;
        BinaryPrimitives.WriteDoubleLittleEndian(head[1..], result.ElapsedMs);
        BinaryPrimitives.WriteInt64LittleEndian(head[9..], scrapedNs);
        if (result.Batch is { } batch)
            WriteBatch(batch);
        else
        {
            WriteString(result.Reason ?? ScrapeFailureReason.Refused);
            WriteString(result.Error ?? "");
        }
        _count++;
        return start;
    }

    /// <summary>Appends a record copied from an earlier share (a node this call did not scrape again).</summary>
    public int AddRecord(ReadOnlySpan<byte> record)
    {
        var start = _written;
        record.CopyTo(Reserve(record.Length));
        _count++;
        return start;
    }

    /// <summary>The finished share, count filled in, as a new array (the served bytes must never change).</summary>
    public byte[] ToArray()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(4), _count);
        return _buffer.AsSpan(0, _written).ToArray();
    }

    private void WriteBatch(NodeBatch batch)
    {
        Reserve(1)[0] = batch.HasNode ? (byte)1 : (byte)0;
        if (batch.HasNode)
            WritePoint(batch.Node);
        var counts = Reserve(8);
        BinaryPrimitives.WriteInt32LittleEndian(counts, batch.InvalidSamples);
        BinaryPrimitives.WriteInt32LittleEndian(counts[4..], batch.ContainerCount);
        foreach (ref readonly var container in batch.Containers)
        {
            WriteString(container.Namespace);
            WriteString(container.Pod);
            WriteString(container.Container);
            WritePoint(container.Point);
        }
    }

    private void WritePoint(in MetricPoint point)
    {
        var span = Reserve(PointBytes);
        BinaryPrimitives.WriteInt64LittleEndian(span, point.StartTimeNs);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], point.TimestampNs);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], point.CpuNanoSeconds);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], point.MemoryBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], point.Swap.IsReported ? point.Swap.Bytes + 1 : 0);
    }

    private void WriteString(string value)
    {
        // Kubernetes names are at most 253 bytes; an error text is cut rather than refused.
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = Reserve(2 + Math.Min(max, ushort.MaxValue));
        var length = Encoding.UTF8.GetByteCount(value) <= ushort.MaxValue
            ? Encoding.UTF8.GetBytes(value, span[2..])
            : Encoding.UTF8.GetBytes(value.AsSpan(0, ushort.MaxValue / 4), span[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        _written -= span.Length - 2 - length;
    }

    private Span<byte> Reserve(int size)
    {
        if (_buffer.Length - _written < size)
            Grow(size);
        var span = _buffer.AsSpan(_written, size);
        _written += size;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int size) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _written + size));
}
