using System.Buffers;
using System.IO.Pipelines;

namespace TinyMetrics.Rendering.Tests;

/// <summary>A pipe writer that hands out at most a few bytes per GetSpan, so placeholders straddle chunks.</summary>
internal sealed class SmallChunkWriter(int chunk) : PipeWriter
{
    private readonly ArrayBufferWriter<byte> _inner = new();

    public ReadOnlySpan<byte> WrittenSpan => _inner.WrittenSpan;

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(chunk)[..chunk];

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(chunk)[..chunk];

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }
}
