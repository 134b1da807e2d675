using System.Globalization;
using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// Structure-aware property tests of the kubelet text parser. Bodies are generated as a kubelet could write them,
/// in every variant the Prometheus text format allows: labels in any order with extra labels, escaped label values
/// (<c>\"</c>, <c>\\</c>, <c>\n</c>, unknown escapes kept as written), UTF-8, blanks around braces, equals signs and
/// commas, trailing commas, <c>{}</c>, CRLF, indented lines, HELP/TYPE/other comments, blank lines, unrelated
/// series, numbers as integers, decimals, exponents, leading zeros or signs, timestamps present or not. Unchanged,
/// such a body reads back exactly (values by upstream's float64 rule). Mutated line by line — lines dropped,
/// repeated, swapped, values replaced with NaN, infinities, negatives, zeros or malformed numbers, the body cut —
/// it never throws, and what it serves is still only what was written.
/// </summary>
public class ResourceMetricsParserStructureFuzzTests
{
    private const long DefaultMs = ParserHarness.DefaultNs / 1_000_000;

    /// <summary>One container; Ns, Pod and Container are the label values as written, escapes and all.</summary>
    private sealed record Series(string Ns, string Pod, string Container, long CpuMicros, long Memory, long? TimestampMs);

    private sealed record Body(long NodeCpuMicros, long NodeMemory, long? NodeTimestampMs, Series[] Containers, string[] Lines);

    private static readonly Gen<string> LabelText = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 16],
        Gen.OneOf(Gen.String[Gen.Char["ab\\\n {},#é"], 1, 8], Gen.Const("😀x"), Gen.Const("\\q")));

    private static readonly Gen<long?> Timestamp = Gen.OneOf(Gen.Const(default(long?)), Gen.Long[1, 9_000_000_000_000].Select(t => (long?)t));

    private static readonly Gen<Series> OneSeries = Gen.Select(LabelText, LabelText, LabelText, Gen.Long[1, 10_000_000_000_000L], Gen.Long[1, 1L << 50], Timestamp,
        (ns, pod, c, cpu, mem, ts) => new Series(Escape(ns), Escape(pod), Escape(c), cpu, mem, ts));

    private static readonly Gen<Body> Bodies = Gen.Select(Gen.Long[1, 10_000_000_000_000L], Gen.Long[1, 1L << 50], Timestamp, OneSeries.Array[0, 8], Gen.Int[0, int.MaxValue])
        .Select(t =>
        {
            var (nodeCpu, nodeMem, nodeTs, raw, seed) = t;
            var seen = new HashSet<(string, string, string)>();
            var containers = raw.Where(c => seen.Add((c.Ns, c.Pod, c.Container))).ToArray();
            return new Body(nodeCpu, nodeMem, nodeTs, containers, Write(nodeCpu, nodeMem, nodeTs, containers, new Random(seed)));
        });

    [Test]
    public void TryParse_AnyValidVariant_ReadsBackExactly()
    {
        Bodies.Sample(body =>
        {
            var (ok, batch, _) = ParserHarness.Parse(Join(body.Lines, body.Lines.Length % 2 == 0 ? "\n" : "\r\n"));
            if (!ok || !batch.HasNode || batch.Node.CpuNanoSeconds != Nanos(Seconds(body.NodeCpuMicros, 0))
                || batch.Node.MemoryBytes != (ulong)body.NodeMemory || batch.Node.TimestampNs != (body.NodeTimestampMs ?? DefaultMs) * 1_000_000)
                return false;
            if (batch.ContainerCount != body.Containers.Length)
                return false;
            foreach (var sample in batch.Containers)
            {
                var c = body.Containers.Single(x => x.Ns == sample.Namespace && x.Pod == sample.Pod && x.Container == sample.Container);
                if (sample.Point.CpuNanoSeconds != Nanos(Seconds(c.CpuMicros, 0)) || sample.Point.MemoryBytes != (ulong)c.Memory
                    || sample.Point.TimestampNs != (c.TimestampMs ?? DefaultMs) * 1_000_000)
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: b => Join(b.Lines, "\n"));
    }

    [Test]
    public void TryParse_LineMutations_NeverThrowAndServeOnlyWhatWasWritten()
    {
        var bad = FuzzBudget.Pick("NaN", "nan", "+Inf", "-Inf", "Infinity", "-1", "-0.5", "-0", "0", "0.0", "0e5", "1e400", "0x10", "1_0", "--1", "1e", "0x1p4", "\u0663", "1.2.3");
        var edit = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 1000], Gen.Int[0, 1000], bad);
        Gen.Select(Bodies, edit.Array[1, 4], Gen.Int[0, 2000]).Sample((body, edits, cut) =>
        {
            var lines = new List<string>(body.Lines);
            foreach (var (kind, a, b, value) in edits)
            {
                if (lines.Count == 0)
                    break;
                var i = a % lines.Count;
                var j = b % lines.Count;
                if (kind == 0)
                    lines.RemoveAt(i);
                else if (kind == 1)
                    lines.Insert(j, lines[i]);
                else if (kind == 2)
                    (lines[i], lines[j]) = (lines[j], lines[i]);
                else
                    lines[i] = ReplaceValue(lines[i], value);
            }
            var text = Join([.. lines], "\n");
            var bytes = Encoding.UTF8.GetBytes(text);
            if (edits.Length > 2)
                bytes = bytes[..Math.Min(cut, bytes.Length)];
            var (ok, batch, error) = ParserHarness.Parse(bytes);
            if (!ok)
                return error is { Length: > 0 } && !batch.HasNode && batch.ContainerCount == 0;
            if (batch.HasNode && (batch.Node.CpuNanoSeconds != Nanos(Seconds(body.NodeCpuMicros, 0)) || batch.Node.MemoryBytes != (ulong)body.NodeMemory))
                return false;
            foreach (var sample in batch.Containers)
            {
                var c = body.Containers.SingleOrDefault(x => x.Ns == sample.Namespace && x.Pod == sample.Pod && x.Container == sample.Container);
                if (c is null || sample.Point.CpuNanoSeconds != Nanos(Seconds(c.CpuMicros, 0)) || sample.Point.MemoryBytes != (ulong)c.Memory
                    || sample.Point.TimestampNs != (c.TimestampMs ?? DefaultMs) * 1_000_000)
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log(), print: t => Join(t.Item1.Lines, "\n") + "edits: " + string.Join(" ", t.Item2) + " cut: " + t.Item3);
    }

    // Found by make fuzz-long (two deleted bytes of the mutated-body property): pod="" on the cpu and memory lines.
    // decode.go reads the empty value as a pod name like any other, so the container is kept, under a pod no API
    // object can have; the start-time line's pod="p" alone makes p incomplete, and p is dropped.
    [Test]
    public async Task TryParse_EmptyPodLabel_KeptUnderTheEmptyNameAndTheIncompletePodDropped()
    {
        var body = "container_cpu_usage_seconds_total{container=\"app\",namespace=\"ns\",pod=\"\"} 4.7 1700000000000\n"
            + "container_memory_working_set_bytes{container=\"app\",namespace=\"ns\",pod=\"\"} 1.2e+07 1700000000000\n"
            + "container_start_time_seconds{container=\"app\",namespace=\"ns\",pod=\"p\"} 1.6999e+09 1700000000000\n";

        var (ok, batch, _) = ParserHarness.Parse(body);
        var containers = batch.Containers.ToArray();

        await Assert.That(ok).IsTrue();
        await Assert.That(containers.Length).IsEqualTo(1);
        await Assert.That(containers[0].Pod).IsEqualTo("");
        await Assert.That(containers[0].Point.MemoryBytes).IsEqualTo(12_000_000UL);
    }

    private static string[] Write(long nodeCpu, long nodeMem, long? nodeTs, Series[] containers, Random random)
    {
        var lines = new List<string>();
        lines.Add(Line(random, "node_cpu_usage_seconds_total", null, Seconds(nodeCpu, random.Next(6)), nodeTs));
        lines.Add(Line(random, "node_memory_working_set_bytes", null, Bytes(nodeMem, random.Next(4)), nodeTs));
        foreach (var c in containers)
        {
            lines.Add(Line(random, "container_cpu_usage_seconds_total", c, Seconds(c.CpuMicros, random.Next(6)), c.TimestampMs));
            lines.Add(Line(random, "container_memory_working_set_bytes", c, Bytes(c.Memory, random.Next(4)), c.TimestampMs));
            if (random.Next(2) == 0)
                lines.Add(Line(random, "container_start_time_seconds", c, "1.6999e+09", random.Next(2) == 0 ? null : 1_700_000_000_000));
        }
        // Shuffled (a container's two lines carry one timestamp, so order never changes a value), with noise between.
        var shuffled = lines.OrderBy(_ => random.Next()).ToList();
        var noise = new[]
        {
            "# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds",
            "# TYPE node_cpu_usage_seconds_total counter", "", "# comment with \"quotes\" and {braces}", " \t", "machine_cpu_cores 4",
            "container_cpu_usage_seconds_total_extra{pod=\"p\"} 9", "#", "scrape_error 0",
        };
        for (var n = random.Next(4); n > 0; n--)
            shuffled.Insert(random.Next(shuffled.Count + 1), noise[random.Next(noise.Length)]);
        return [.. shuffled];
    }

    private static string Line(Random random, string name, Series? c, string value, long? timestampMs)
    {
        string Pick(params string[] options) => options[random.Next(options.Length)];
        var text = new StringBuilder(Pick("", "", " ", "\t"));
        text.Append(name);
        var labels = new List<string>();
        if (c is not null)
        {
            labels.Add("container=\"" + c.Container + "\"");
            labels.Add("namespace=\"" + c.Ns + "\"");
            labels.Add("pod=\"" + c.Pod + "\"");
            if (random.Next(3) == 0)
                labels.Add("id" + Pick("=", " = ") + "\"" + Escape("/kubepods/burstable/\"x\"\\y\nz") + "\"");
            if (random.Next(4) == 0)
                labels.Add("image" + Pick("=", " =") + "\"registry.k8s.io/pause:3.9\"");
        }
        if (labels.Count > 0 || random.Next(4) == 0)
        {
            var ordered = labels.OrderBy(_ => random.Next()).ToList();
            text.Append(Pick("", "", " ")).Append('{').Append(Pick("", "", " "))
                .AppendJoin(Pick(",", ",", ", ", " ,"), ordered)
                .Append(ordered.Count > 0 && random.Next(4) == 0 ? "," : "").Append(Pick("", "", " ")).Append('}');
        }
        text.Append(Pick(" ", " ", "\t", "  ")).Append(value);
        if (timestampMs is { } ts)
            text.Append(Pick(" ", " ", "\t", "   ")).Append(ts.ToString(CultureInfo.InvariantCulture));
        return text.Append(Pick("", "", " ", "\t")).ToString();
    }

    // The Prometheus text escapes for \\, " and newline; "\\q" is written as is. metrics-server's decode.go finds
    // container=", pod=" and namespace=" by substring and reads up to the next quote without decoding escapes, so
    // a container's identity is its label text as written (which therefore never holds a quote).
    private static string Escape(string value) => value == "\\q" ? value
        : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string ReplaceValue(string line, string value)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] == '#')
            return line;
        var close = trimmed.LastIndexOf('}');
        var head = close >= 0 ? trimmed[..(close + 1)] : trimmed[..trimmed.IndexOfAny([' ', '\t'])];
        var rest = trimmed[head.Length..].TrimStart();
        var space = rest.IndexOfAny([' ', '\t']);
        return head + " " + value + (space >= 0 ? rest[space..] : "");
    }

    private static string Join(string[] lines, string newline) => lines.Length == 0 ? "" : string.Join(newline, lines) + newline;

    // Upstream's rule (decode.go): the float64 of the text times 1e9, truncated.
    private static ulong Nanos(string seconds) => (ulong)(double.Parse(seconds, CultureInfo.InvariantCulture) * 1e9);

    // One number, several spellings Go's ParseFloat reads alike: decimal, leading zeros or '+', trailing-zero-free, exponents.
    private static string Seconds(long micros, int form)
    {
        var whole = (micros / 1_000_000).ToString(CultureInfo.InvariantCulture);
        var fraction = (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        return form switch
        {
            0 => whole + "." + fraction,
            1 => "00" + whole + "." + fraction.TrimEnd('0'),
            2 => "+" + whole + "." + fraction,
            3 => whole + fraction + "e-6",
            4 => (micros / 1e6).ToString("R", CultureInfo.InvariantCulture),
            _ => (micros / 1e6).ToString("E15", CultureInfo.InvariantCulture).ToLowerInvariant(),
        };
    }

    private static string Bytes(long bytes, int form) => form switch
    {
        0 => bytes.ToString(CultureInfo.InvariantCulture),
        1 => bytes.ToString(CultureInfo.InvariantCulture) + ".0",
        2 => ((double)bytes).ToString("R", CultureInfo.InvariantCulture),
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "e0",
    };
}
