using System.Text;

namespace TinyMetrics.Rendering;

/// <summary>
/// Protocol buffers wire encoding into a span whose size the caller has computed with the Size* helpers:
/// varints, and length-delimited fields (wire type 2). Messages are written forward, so every nested length
/// is known before its bytes.
/// </summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> _destination;

    public ProtoWriter(Span<byte> destination) => _destination = destination;

    public int Position { get; private set; }

    public static int SizeVarint(ulong value)
    {
        var n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    /// <summary>Bytes of a length-delimited field with a one-byte tag and a body of <paramref name="length"/> bytes.</summary>
    public static int SizeField(int length) => 1 + SizeVarint((ulong)length) + length;

    public static int SizeString(string value) => SizeField(Encoding.UTF8.GetByteCount(value));

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[Position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _destination[Position++] = (byte)value;
    }

    /// <summary>A varint field (wire type 0).</summary>
    public void WriteVarintField(int field, ulong value)
    {
        _destination[Position++] = (byte)(field << 3);
        WriteVarint(value);
    }

    /// <summary>The tag and length of a length-delimited field whose body follows.</summary>
    public void WriteHeader(int field, int length)
    {
        _destination[Position++] = (byte)((field << 3) | 2);
        WriteVarint((ulong)length);
    }

    public void WriteBytes(int field, scoped ReadOnlySpan<byte> value)
    {
        WriteHeader(field, value.Length);
        WriteRaw(value);
    }

    public void WriteString(int field, string value)
    {
        WriteHeader(field, Encoding.UTF8.GetByteCount(value));
        Position += Encoding.UTF8.GetBytes(value, _destination[Position..]);
    }

    public void WriteRaw(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_destination[Position..]);
        Position += value.Length;
    }
}
