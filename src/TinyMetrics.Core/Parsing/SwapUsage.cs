namespace TinyMetrics.Parsing;

/// <summary>
/// A swap reading in bytes, or none. The default is none, so a point from a kubelet that writes no swap families
/// (before 1.29, or Windows) carries no swap and the API serves no <c>swap</c> key, never a made-up zero.
/// Eight bytes: the value is kept plus one, 0 meaning not reported.
/// </summary>
public readonly record struct SwapUsage
{
    private readonly ulong _bytesPlusOne;

    private SwapUsage(ulong bytesPlusOne) => _bytesPlusOne = bytesPlusOne;

    /// <summary>A reading of <paramref name="bytes"/>; the largest value saturates one byte short of ulong.MaxValue.</summary>
    public static SwapUsage Of(ulong bytes) => new(bytes == ulong.MaxValue ? bytes : bytes + 1);

    public bool IsReported => _bytesPlusOne != 0;

    /// <summary>The bytes read; 0 when none was reported (check <see cref="IsReported"/>).</summary>
    public ulong Bytes => _bytesPlusOne == 0 ? 0 : _bytesPlusOne - 1;

    public override string ToString() => IsReported ? Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
}
