using System.Buffers;
using System.Globalization;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Body-altering kubelet faults as byte transforms of what <see cref="KubeletMetricsWriter"/> wrote, line by
/// line, so the writer stays the one source of the exact values and each fault changes only what it names.
/// Sample lines are <c>name{labels} value timestamp</c> with label values free of spaces, as the writer emits them.
/// </summary>
public static class KubeletBodyFaults
{
    /// <summary>The value the first (wrong) copy of a duplicated series carries; a parser keeping the first copy serves it.</summary>
    public const string DuplicateValue = "7";

    private static ReadOnlySpan<byte> ContainerCpu => "container_cpu_usage_seconds_total{"u8;

    private static ReadOnlySpan<byte> ContainerMemory => "container_memory_working_set_bytes{"u8;

    private static ReadOnlySpan<byte> NodeCpu => "node_cpu_usage_seconds_total "u8;

    private static ReadOnlySpan<byte> NodeMemory => "node_memory_working_set_bytes "u8;

    /// <summary>
    /// The time the writer writes the body for: the mode switch mirrored (each scrape older than the one before)
    /// for the backwards modes, else <paramref name="nowMs"/>.
    /// </summary>
    public static long WriteTimeMs(KubeletMode mode, long nowMs, long modeSetMs) =>
        mode is KubeletMode.BackwardsTimestamps or KubeletMode.CounterBackwards ? (2 * modeSetMs) - nowMs : nowMs;

    /// <summary>True when <paramref name="mode"/> rewrites the writer's body through <see cref="Transform"/>.</summary>
    public static bool Alters(KubeletMode mode) =>
        mode is KubeletMode.DuplicateSeries or KubeletMode.NoTimestamps or KubeletMode.CounterBackwards or KubeletMode.HugeValues;

    /// <summary>Writes <paramref name="body"/> altered by <paramref name="mode"/>; <paramref name="nowMs"/> is the real scrape time.</summary>
    public static void Transform(ReadOnlySpan<byte> body, KubeletMode mode, long nowMs, IBufferWriter<byte> output)
    {
        int cpuLines = 0, memoryLines = 0;
        while (!body.IsEmpty)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = newline >= 0 ? body[..(newline + 1)] : body;
            body = body[line.Length..];
            if (line[0] == (byte)'#' || !TrySplit(line, out var valueStart, out var valueEnd, out var timestampEnd))
            {
                output.Write(line);
                continue;
            }
            switch (mode)
            {
                case KubeletMode.DuplicateSeries when line.StartsWith(ContainerCpu) || line.StartsWith(ContainerMemory):
                    WriteWithValue(output, line, valueStart, valueEnd, DuplicateValue);
                    output.Write(line);
                    break;
                case KubeletMode.NoTimestamps:
                    output.Write(line[..valueEnd]);
                    output.Write("\n"u8);
                    break;
                case KubeletMode.CounterBackwards when timestampEnd > valueEnd:
                    output.Write(line[..(valueEnd + 1)]);
                    WriteText(output, nowMs.ToString(CultureInfo.InvariantCulture));
                    output.Write(line[timestampEnd..]);
                    break;
                case KubeletMode.HugeValues when HugeValue(line, ref cpuLines, ref memoryLines) is { } huge:
                    WriteWithValue(output, line, valueStart, valueEnd, huge);
                    break;
                default:
                    output.Write(line);
                    break;
            }
        }
    }

    // Every fourth container gets one absurd value, in turn 1e300 cpu, +Inf cpu, NaN memory, negative memory. Sparse
    // enough that pods of two or three containers still survive on the realistic shape: the node keeps some pods served.
    private static string? HugeValue(ReadOnlySpan<byte> line, ref int cpuLines, ref int memoryLines)
    {
        if (line.StartsWith(NodeCpu))
            return "1e+300";
        if (line.StartsWith(NodeMemory))
            return "-1.048576e+06";
        if (line.StartsWith(ContainerCpu))
        {
            var k = cpuLines++;
            return k % 4 != 0 ? null : (k / 4 % 4) switch { 0 => "1e+300", 1 => "+Inf", _ => null };
        }
        if (line.StartsWith(ContainerMemory))
        {
            var k = memoryLines++;
            return k % 4 != 0 ? null : (k / 4 % 4) switch { 2 => "NaN", 3 => "-1", _ => null };
        }
        return null;
    }

    // value from just after the space that ends the name (and labels) to the next space or the line end.
    private static bool TrySplit(ReadOnlySpan<byte> line, out int valueStart, out int valueEnd, out int timestampEnd)
    {
        valueStart = valueEnd = timestampEnd = 0;
        var labels = line.IndexOf((byte)'}');
        var nameEnd = labels >= 0 ? labels + 1 : line.IndexOf((byte)' ');
        if (nameEnd <= 0 || nameEnd >= line.Length || line[nameEnd] != (byte)' ')
            return false;
        valueStart = nameEnd + 1;
        var content = line.TrimEnd("\r\n"u8).Length;
        var space = line[valueStart..content].IndexOf((byte)' ');
        valueEnd = space >= 0 ? valueStart + space : content;
        timestampEnd = content;
        return true;
    }

    private static void WriteWithValue(IBufferWriter<byte> output, ReadOnlySpan<byte> line, int valueStart, int valueEnd, string value)
    {
        output.Write(line[..valueStart]);
        WriteText(output, value);
        output.Write(line[valueEnd..]);
    }

    private static void WriteText(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
            span[i] = (byte)ascii[i];
        output.Advance(ascii.Length);
    }
}
