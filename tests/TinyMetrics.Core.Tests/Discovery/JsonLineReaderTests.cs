using System.Text;

namespace TinyMetrics.Discovery.Tests;

public class JsonLineReaderTests
{
    /// <summary>Hands out at most a few bytes per read, so lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(step, buffer.Length)], cancellationToken);
    }

    [Test]
    public async Task ReadAsync_LinesSplitAcrossReads_YieldsEachLineOnce()
    {
        var lines = new List<string>();
        var reader = new JsonLineReader(1024);
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes("{\"a\":1}\n\n{\"b\":22}\r\n{\"c\":333}\n"), 3);

        var end = await reader.ReadAsync(stream, line => { lines.Add(Encoding.UTF8.GetString(line).TrimEnd('\r')); return true; }, CancellationToken.None);

        await Assert.That(end).IsEqualTo(LineReadEnd.EndOfStream);
        await Assert.That(lines).IsEquivalentTo(["{\"a\":1}", "{\"b\":22}", "{\"c\":333}"]);
    }

    [Test]
    public async Task ReadAsync_LineOverCap_StopsAsOversize()
    {
        var reader = new JsonLineReader(64);
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes("{\"ok\":1}\n" + new string('x', 200) + "\n"), 16);
        var seen = 0;

        var end = await reader.ReadAsync(stream, _ => { seen++; return true; }, CancellationToken.None);

        await Assert.That(end).IsEqualTo(LineReadEnd.Oversize);
        await Assert.That(seen).IsEqualTo(1);
    }

    [Test]
    public async Task ReadAsync_HandlerStops_ReturnsStopped()
    {
        var reader = new JsonLineReader(1024);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("1\n2\n3\n"));
        var seen = 0;

        var end = await reader.ReadAsync(stream, _ => ++seen < 2, CancellationToken.None);

        await Assert.That(end).IsEqualTo(LineReadEnd.Stopped);
        await Assert.That(seen).IsEqualTo(2);
    }
}
