namespace TinyMetrics.Simulator.Model;

/// <summary>
/// SplitMix64: the same seed gives the same cluster on every runtime and version, which
/// <see cref="System.Random"/> does not promise.
/// </summary>
internal sealed class SeededRandom
{
    private ulong _state;

    public SeededRandom(int seed) => _state = 0x9E3779B97F4A7C15UL * (ulong)(uint)seed + 0xD1B54A32D192ED03UL;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, max).</summary>
    public long Next(long max) => (long)(NextUInt64() % (ulong)max);

    /// <summary>Uniform in [min, max].</summary>
    public long Between(long min, long max) => min + Next(max - min + 1);

    /// <summary>Log-uniform in [min, max]: many small values, a few large ones, as real workloads.</summary>
    public long LogBetween(long min, long max)
    {
        var u = (NextUInt64() >> 11) * (1.0 / (1UL << 53));
        return Math.Clamp((long)(min * Math.Pow((double)max / min, u)), min, max);
    }

    public string Chars(string alphabet, int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
            chars[i] = alphabet[(int)Next(alphabet.Length)];
        return new string(chars);
    }

    public string Uid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], NextUInt64());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return Convert.ToHexStringLower(bytes[..4]) + "-" + Convert.ToHexStringLower(bytes[4..6]) + "-"
            + Convert.ToHexStringLower(bytes[6..8]) + "-" + Convert.ToHexStringLower(bytes[8..10]) + "-"
            + Convert.ToHexStringLower(bytes[10..]);
    }
}
