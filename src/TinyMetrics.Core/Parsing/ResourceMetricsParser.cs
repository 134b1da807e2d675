namespace TinyMetrics.Parsing;

/// <summary>
/// Decodes a kubelet <c>/metrics/resource</c> body (Prometheus text) on UTF-8 bytes, as metrics-server's
/// <c>decode.go</c> does (metrics-server pkg/scraper/client/resource). Not thread-safe: each concurrent scrape needs its own
/// instance. It caches every label set and name it parsed in the last ten minutes (of request time), so
/// re-parsing a body of the same shape allocates nothing; one instance per node keeps that cache to the
/// node's own pods, while one per worker holds the names of every node the worker visits.
/// </summary>
/// <remarks>
/// Every series line is validated as Prometheus' text parser would (a malformed one fails the whole node);
/// comment, HELP, TYPE and blank lines are skipped without validation, and a CR before each LF is accepted.
/// A series line cut off by the end of the body (no final LF) is a truncated body and fails the node.
/// </remarks>
public sealed class ResourceMetricsParser
{
    private readonly SeriesLabelCache _labelSets = new();
    private readonly ContainerAccumulator _containers = new();
    private MetricPoint _node;
    private long _nowNs;
    private int _invalidSamples;

    internal int CachedLabelSets => _labelSets.LabelSets;

    internal int InternedNames => _labelSets.Names;

    /// <summary>
    /// Fills <paramref name="into"/> (cleared first). <paramref name="defaultTimestampNs"/> is the
    /// request start (Unix ns), used, truncated to the millisecond as upstream, for samples without a
    /// timestamp. Returns false with an error message when the body is malformed (including a negative
    /// timestamp); <paramref name="into"/> is then empty and the whole node counts as failed, as upstream.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> body, long defaultTimestampNs, NodeBatch into, out string? error)
    {
        into.Clear();
        _containers.Clear();
        _node = default;
        _invalidSamples = 0;
        _nowNs = defaultTimestampNs;
        var defaultMs = FloorDiv(defaultTimestampNs, 1_000_000);
        var ok = TryParseLines(body, defaultMs, out error);
        if (ok)
            Emit(into);
        return ok;
    }

    private bool TryParseLines(ReadOnlySpan<byte> body, long defaultMs, out string? error)
    {
        for (var lineNumber = 1; !body.IsEmpty; lineNumber++)
        {
            var newline = body.IndexOf((byte)'\n');
            var line = newline >= 0 ? body[..newline] : body;
            body = newline >= 0 ? body[(newline + 1)..] : default;
            if (!TryParseLine(line, terminated: newline >= 0, defaultMs, out error))
            {
                error = $"line {lineNumber}: {error}";
                return false;
            }
        }
        error = null;
        return true;
    }

    private bool TryParseLine(ReadOnlySpan<byte> line, bool terminated, long defaultMs, out string? error)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r')
            line = line[..^1];
        line = line.TrimStart(" \t"u8);
        error = null;
        if (line.IsEmpty || line[0] == (byte)'#')
            return true;
        if (!terminated)
        {
            error = "truncated body: series without a line break";
            return false;
        }
        if (!PromSeriesLine.TryRead(line, _labelSets, _nowNs, out var series, out error))
            return false;
        if (!SampleValue.TryParse(series.Value, out var value))
        {
            error = "invalid sample value";
            return false;
        }
        var timestampNs = MillisToNanos(series.HasTimestamp ? series.TimestampMs : defaultMs);
        Apply(series.Name, series.Container, value, timestampNs);
        return true;
    }

    private void Apply(ReadOnlySpan<byte> name, in ContainerName container, double value, long timestampNs)
    {
        if (name.SequenceEqual(MetricNames.NodeCpu))
            _node = _node with { CpuNanoSeconds = Cpu(value), TimestampNs = timestampNs };
        else if (name.SequenceEqual(MetricNames.NodeMemory))
            _node = _node with { MemoryBytes = Memory(value), TimestampNs = timestampNs };
        else if (name.SequenceEqual(MetricNames.ContainerCpu))
            ApplyContainer(container, Field.Cpu, value, timestampNs);
        else if (name.SequenceEqual(MetricNames.ContainerMemory))
            ApplyContainer(container, Field.Memory, value, timestampNs);
        else if (name.SequenceEqual(MetricNames.ContainerStartTime))
            ApplyContainer(container, Field.StartTime, value, timestampNs);
        else if (name.SequenceEqual(MetricNames.ContainerSwap))
            ApplyContainer(container, Field.Swap, value, timestampNs);
        else if (name.SequenceEqual(MetricNames.NodeSwap))
            _node = _node with { Swap = SwapReading(value) };
    }

    // A gauge like the working set, except that 0 is a reading; a value that is no byte count (NaN, negative, ≥ 2^64) is none.
    private static SwapUsage SwapReading(double value) => value is >= 0 and < 18446744073709551616.0 ? SwapUsage.Of((ulong)value) : default;

    private void ApplyContainer(in ContainerName name, Field field, double value, long timestampNs)
    {
        // Without all three labels the series names no container; upstream would read garbage, we skip it.
        if (!name.IsContainer)
            return;
        if (field == Field.Swap)
        {
            // Swap rides on the container's other series: upstream ignores it, so it neither adds a container nor keeps one.
            _containers.GetOrAdd(name).Swap = SwapReading(value);
            return;
        }
        ref var entry = ref _containers.GetOrAdd(name);
        entry.HasUsage = true;
        switch (field)
        {
            case Field.Cpu:
                entry.CpuNanoSeconds = Cpu(value);
                entry.TimestampNs = timestampNs;
                break;
            case Field.Memory:
                entry.MemoryBytes = Memory(value);
                entry.TimestampNs = timestampNs;
                break;
            default:
                // The start-time series carries no meaningful timestamp of its own.
                entry.StartTimeNs = SampleValue.StartSecondsToNanos(value);
                break;
        }
    }

    // A non-zero value that converts to 0 was NaN, infinite, negative or out of range: dropped, and counted.
    private ulong Cpu(double seconds)
    {
        var ns = SampleValue.SecondsToNanos(seconds);
        if (ns == 0 && seconds != 0)
            _invalidSamples++;
        return ns;
    }

    private ulong Memory(double bytes)
    {
        var value = SampleValue.ToUInt64(bytes);
        if (value == 0 && bytes != 0)
            _invalidSamples++;
        return value;
    }

    private void Emit(NodeBatch into)
    {
        into.InvalidSamples = _invalidSamples;
        // A zero timestamp means no node line was seen (or the kubelet sent the epoch): not a usable point.
        if (_node.TimestampNs != 0 && _node.CpuNanoSeconds != 0 && _node.MemoryBytes != 0)
            into.SetNode(_node);
        _containers.EmitTo(into);
    }

    // Saturates instead of wrapping: a timestamp beyond year 2262 stays in the far future.
    private static long MillisToNanos(long ms) =>
        ms > long.MaxValue / 1_000_000 ? long.MaxValue : ms < long.MinValue / 1_000_000 ? long.MinValue : ms * 1_000_000;

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-(value + 1) / divisor) + 1);

    private enum Field
    {
        Cpu,
        Memory,
        StartTime,
        Swap,
    }
}
