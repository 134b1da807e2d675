using System.Buffers;

namespace TinyMetrics.Rendering;

/// <summary>
/// Pre-rendered protobuf list items, each a whole <c>items</c> field (tag 2, length, body), in one exactly sized
/// buffer. Each item's creationTimestamp seconds are a 5-byte varint patched with the request time while copying,
/// so any run of consecutive items is one copy, and its length is known before writing.
/// </summary>
internal sealed class ProtoItems
{
    internal delegate int Sizer<T>(T value);

    internal delegate int Writer<T>(ref ProtoWriter writer, T value, ulong stamp);

    private readonly byte[] _bytes;
    private readonly int[] _ends;   // exclusive end of item i; item i+1 starts there
    private readonly int[] _stamps; // first byte of item i's creationTimestamp seconds

    private ProtoItems(byte[] bytes, int[] ends, int[] stamps)
    {
        _bytes = bytes;
        _ends = ends;
        _stamps = stamps;
    }

    public int ByteCount => _bytes.Length;

    public static ProtoItems Render<T>(ReadOnlySpan<T> values, Sizer<T> size, Writer<T> write)
    {
        var ends = new int[values.Length];
        long total = 0;
        for (var i = 0; i < values.Length; i++)
        {
            total += ProtoWriter.SizeField(size(values[i]));
            ends[i] = checked((int)total);
        }
        var bytes = new byte[total];
        var stamps = new int[values.Length];
        var writer = new ProtoWriter(bytes);
        for (var i = 0; i < values.Length; i++)
        {
            var start = Start(ends, i);
            writer.WriteHeader(2, ends[i] - start - HeaderLength(ends[i] - start));
            stamps[i] = write(ref writer, values[i], 0);
        }
        return new ProtoItems(bytes, ends, stamps);
    }

    /// <summary>Only the items at <paramref name="kept"/> (ascending indexes), copied byte for byte.</summary>
    public ProtoItems Keep(int[] kept)
    {
        long size = 0;
        foreach (var i in kept)
            size += _ends[i] - Start(_ends, i);
        var bytes = new byte[size];
        var ends = new int[kept.Length];
        var stamps = new int[kept.Length];
        var at = 0;
        for (var k = 0; k < kept.Length; k++)
        {
            var i = kept[k];
            var start = Start(_ends, i);
            _bytes.AsSpan(start, _ends[i] - start).CopyTo(bytes.AsSpan(at));
            stamps[k] = _stamps[i] - start + at;
            at += _ends[i] - start;
            ends[k] = at;
        }
        return new ProtoItems(bytes, ends, stamps);
    }

    /// <summary>Bytes of items [from, to) with their field headers.</summary>
    public long RangeLength(int from, int to) => from < to ? _ends[to - 1] - Start(_ends, from) : 0;

    public void WriteRange(IBufferWriter<byte> output, int from, int to, ReadOnlySpan<byte> now)
    {
        if (from < to)
            StampedCopy.Copy(output, _bytes, Start(_ends, from), _ends[to - 1], _stamps, from, now);
    }

    /// <summary>Body length of item <paramref name="index"/> (the object without its field header).</summary>
    public int BodyLength(int index)
    {
        var record = _ends[index] - Start(_ends, index);
        return record - HeaderLength(record);
    }

    public void WriteBody(IBufferWriter<byte> output, int index, ReadOnlySpan<byte> now)
    {
        var record = _ends[index] - Start(_ends, index);
        StampedCopy.Copy(output, _bytes, Start(_ends, index) + HeaderLength(record), _ends[index], _stamps, index, now);
    }

    private static int Start(int[] ends, int index) => index == 0 ? 0 : ends[index - 1];

    // The tag byte and the varint of a body whose whole record is `record` bytes long.
    private static int HeaderLength(int record)
    {
        var header = 2;
        while (ProtoWriter.SizeField(record - header) != record)
            header++;
        return header;
    }
}
