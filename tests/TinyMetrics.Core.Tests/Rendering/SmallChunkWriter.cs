using System.Buffers;

namespace TinyMetrics.Rendering.Tests;

/// <summary>An output that hands out at most a few bytes per GetSpan, so placeholders straddle chunks.</summary>
internal sealed class SmallChunkWriter(int chunk) : IBufferWriter<byte>
{
    private readonly ArrayBufferWriter<byte> _inner = new();

    public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;

    public void Advance(int count) => _inner.Advance(count);

    public Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(chunk)[..chunk];

    public Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(chunk)[..chunk];
}
