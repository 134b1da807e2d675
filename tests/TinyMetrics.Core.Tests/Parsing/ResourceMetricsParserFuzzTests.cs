using System.Globalization;
using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// Property tests of the kubelet text parser: any bytes parse or fail as a value (never an exception), and a body
/// written from known values parses back to exactly those values.
/// </summary>
public class ResourceMetricsParserFuzzTests
{
    private const long TimestampMs = 1_700_000_000_000;

    private static readonly Gen<string> Name = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 20]
        .Where(s => char.IsAsciiLetterLower(s[0]));

    private static readonly Gen<(string Ns, string Pod, string Container, long CpuMicros, long Memory)> Container =
        Gen.Select(Name, Name, Name, Gen.Long[1, 10_000_000_000_000L], Gen.Long[1, 1L << 50]);

    private static readonly Gen<(long NodeCpuMicros, long NodeMemory, (string Ns, string Pod, string Container, long CpuMicros, long Memory)[] Containers)> Body =
        Gen.Select(Gen.Long[1, 10_000_000_000_000L], Gen.Long[1, 1L << 50], Container.Array[0, 12]);

    private static readonly byte[] Valid = Encoding.UTF8.GetBytes(
        "# HELP node_cpu_usage_seconds_total [STABLE] x\n# TYPE node_cpu_usage_seconds_total counter\n"
        + "node_cpu_usage_seconds_total 357.35491 1700000000000\nnode_memory_working_set_bytes 1.616273408e+09 1700000000000\n"
        + "container_cpu_usage_seconds_total{container=\"app\",namespace=\"ns\",pod=\"p\"} 4.710169 1700000000000\n"
        + "container_memory_working_set_bytes{container=\"app\",namespace=\"ns\",pod=\"p\"} 1.253376e+07 1700000000000\n"
        + "container_start_time_seconds{container=\"app\",namespace=\"ns\",pod=\"p\"} 1.6999e+09 1700000000000\n");

    [Test]
    public void TryParse_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 600].Sample(bytes => { ParserHarness.Parse(bytes); }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void TryParse_MutatedValidBody_NeverThrowsAndKeepsValuesSane()
    {
        var mutation = Gen.Select(Gen.Int[0, Valid.Length - 1], Gen.Byte, Gen.Int[0, 3]).Array[1, 8];
        mutation.Sample(edits =>
        {
            var body = new List<byte>(Valid);
            foreach (var (at, value, kind) in edits)
            {
                var i = Math.Min(at, body.Count - 1);
                if (i < 0)
                    break;
                if (kind == 0)
                    body[i] = value;
                else if (kind == 1)
                    body.Insert(i, value);
                else if (kind == 2)
                    body.RemoveAt(i);
                else
                    body.RemoveRange(i, body.Count - i);
            }
            var (ok, batch, error) = ParserHarness.Parse(body.ToArray());
            if (!ok)
                return error is { Length: > 0 };
            foreach (var sample in batch.Containers)
            {
                // An empty label value still names a container, as in decode.go (pod="" is a pod no API object matches).
                if (sample.Namespace is null || sample.Pod is null || sample.Container is null || sample.Point.TimestampNs <= 0)
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    [Test]
    public void TryParse_WrittenBody_ReadsBackEveryValue()
    {
        Body.Sample(body =>
        {
            var (ok, batch, _) = ParserHarness.Parse(Write(body.NodeCpuMicros, body.NodeMemory, body.Containers));
            if (!ok || !batch.HasNode || batch.Node.CpuNanoSeconds != Nanos(body.NodeCpuMicros) || batch.Node.MemoryBytes != (ulong)body.NodeMemory)
                return false;
            if (batch.Node.TimestampNs != TimestampMs * 1_000_000)
                return false;
            // A repeated series keeps one sample per container; every parsed one must be one of those written.
            var written = new Dictionary<(string, string, string), (long, long)>();
            foreach (var c in body.Containers)
                written.TryAdd((c.Ns, c.Pod, c.Container), (c.CpuMicros, c.Memory));
            foreach (var sample in batch.Containers)
            {
                if (!written.TryGetValue((sample.Namespace, sample.Pod, sample.Container), out var want))
                    return false;
                if (sample.Point.CpuNanoSeconds != Nanos(want.Item1) || sample.Point.MemoryBytes != (ulong)want.Item2)
                    return false;
            }
            return true;
        }, iter: FuzzBudget.Iter, time: FuzzBudget.Time, writeLine: FuzzBudget.Log());
    }

    private static string Write(long nodeCpuMicros, long nodeMemory, (string Ns, string Pod, string Container, long CpuMicros, long Memory)[] containers)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"node_cpu_usage_seconds_total {Seconds(nodeCpuMicros)} {TimestampMs}\n");
        text.Append(CultureInfo.InvariantCulture, $"node_memory_working_set_bytes {nodeMemory} {TimestampMs}\n");
        foreach (var c in containers)
        {
            var labels = $"{{container=\"{c.Container}\",namespace=\"{c.Ns}\",pod=\"{c.Pod}\"}}";
            text.Append(CultureInfo.InvariantCulture, $"container_cpu_usage_seconds_total{labels} {Seconds(c.CpuMicros)} {TimestampMs}\n");
            text.Append(CultureInfo.InvariantCulture, $"container_memory_working_set_bytes{labels} {c.Memory} {TimestampMs}\n");
        }
        return text.ToString();
    }

    // Upstream's rule (decode.go): the float64 of the text times 1e9, truncated; exact only while the double holds every digit.
    private static ulong Nanos(long micros) => (ulong)(double.Parse(Seconds(micros), CultureInfo.InvariantCulture) * 1e9);

    // The decimal text of micro-seconds, as a kubelet writes a counter.
    private static string Seconds(long micros) => (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "."
        + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
