using System.Globalization;
using System.Text;
using CsCheck;
using TinyMetrics.Tests;

namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// The two kubelet formats of one node's state decode to the same samples: a model written as /metrics/resource text
/// (seconds, shortest round-trip floats, millisecond timestamps, swap series or none) and as a Summary (the nanoseconds
/// those seconds parse to, RFC 3339 times, swap objects or none) give equal node points and containers, swap included. Any bytes, and any mutation of a valid Summary,
/// parse or fail as a value, and a re-parse of the same body allocates nothing.
/// </summary>
public class SummaryParserFuzzTests
{
    private static readonly Gen<string> Name = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 20]
        .Where(s => char.IsAsciiLetterLower(s[0]));

    // Swap bytes, or -1 for a kubelet that reports none (then no swap series and no swap object); zero is a reading.
    private static readonly Gen<long> SwapGen = Gen.Frequency((1, Gen.Const(-1L)), (1, Gen.Const(0L)), (2, Gen.Long[1, 1L << 40]));

    // Seconds of CPU as doubles, as the kubelet's counters are; a zero or a missing start exercises the drop rules.
    private static readonly Gen<Model.Container> ContainerGen =
        Gen.Select(Name, Gen.Double[0, 1e6], Gen.Long[0, 1L << 40], Gen.Long[1_600_000_000_000, 1_700_000_000_000], Gen.Long[0, 4000])
            .Select(t => new Model.Container(t.Item1, Math.Round(t.Item2, 6), t.Item3, t.Item4, 1_700_000_000_000 + t.Item5))
            .SelectMany(c => SwapGen.Select(swap => c with { Swap = swap }));

    private static readonly Gen<Model.Pod> PodGen = Gen.Select(Name, Name, ContainerGen.Array[1, 4])
        .Select(t => new Model.Pod(t.Item1, t.Item2, Distinct(t.Item3)));

    private static readonly Gen<Model> ModelGen =
        Gen.Select(Gen.Double[0, 1e7], Gen.Long[0, 1L << 40], Gen.Long[1_600_000_000_000, 1_800_000_000_000], PodGen.Array[0, 8])
            .Select(t => new Model(t.Item1, t.Item2, t.Item3, DistinctPods(t.Item4)))
            .SelectMany(m => SwapGen.Select(swap => m with { NodeSwap = swap }));

    [Test]
    public void TextAndSummary_SameModel_GiveTheSameSamples()
    {
        ModelGen.Sample(model =>
        {
            var text = ParserHarness.Parse(model.Text());
            var summaryBatch = new NodeBatch();
            var ok = new SummaryParser().TryParse(Encoding.UTF8.GetBytes(model.Summary()), ParserHarness.DefaultNs, summaryBatch, out var error);
            if (!text.Ok || !ok)
                throw new InvalidOperationException($"text: {text.Error}, summary: {error}");
            if (text.Batch.HasNode != summaryBatch.HasNode || (text.Batch.HasNode && text.Batch.Node != summaryBatch.Node))
                throw new InvalidOperationException($"node: text {text.Batch.Node}, summary {summaryBatch.Node}");
            var fromText = text.Batch.Containers.ToArray().OrderBy(c => (c.Namespace, c.Pod, c.Container)).ToArray();
            var fromSummary = summaryBatch.Containers.ToArray().OrderBy(c => (c.Namespace, c.Pod, c.Container)).ToArray();
            if (fromText.Length != fromSummary.Length)
                throw new InvalidOperationException($"containers: text {fromText.Length}, summary {fromSummary.Length}");
            for (var i = 0; i < fromText.Length; i++)
            {
                var (t, s) = (fromText[i], fromSummary[i]);
                // The text's start time is a float of seconds: equal to the microsecond, not to the nanosecond.
                if ((t.Namespace, t.Pod, t.Container) != (s.Namespace, s.Pod, s.Container) || t.Point.CpuNanoSeconds != s.Point.CpuNanoSeconds
                    || t.Point.MemoryBytes != s.Point.MemoryBytes || t.Point.TimestampNs != s.Point.TimestampNs || t.Point.Swap != s.Point.Swap
                    || Math.Abs(t.Point.StartTimeNs - s.Point.StartTimeNs) > 1000)
                    throw new InvalidOperationException($"container: text {t}, summary {s}");
            }
        }, iter: FuzzBudget.Iter);
    }

    [Test]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var parser = new SummaryParser();
        var batch = new NodeBatch();
        Gen.Byte.Array[0, 400].Sample(bytes => { parser.TryParse(bytes, ParserHarness.DefaultNs, batch, out _); }, iter: FuzzBudget.Iter);
    }

    [Test]
    public void TryParse_MutatedSummary_NeverThrows()
    {
        var valid = Encoding.UTF8.GetBytes(new Model(12.5, 100, 1_700_000_000_000,
            [new Model.Pod("ns", "p", [new Model.Container("app", 1.5, 20, 1_690_000_000_000, 1_700_000_000_000)])]).Summary());
        var parser = new SummaryParser();
        var batch = new NodeBatch();
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte).Array[1, 6].Sample(edits =>
        {
            var body = (byte[])valid.Clone();
            foreach (var (at, value) in edits)
                body[at] = value;
            parser.TryParse(body, ParserHarness.DefaultNs, batch, out _);
        }, iter: FuzzBudget.Iter);
    }

    [Test]
    public async Task TryParse_SameThirtyPodSummaryTwice_SecondParseAllocatesNothing()
    {
        var pods = new Model.Pod[30];
        for (var i = 0; i < pods.Length; i++)
        {
            pods[i] = new Model.Pod("default", "pod-" + i, [
                new Model.Container("app", 10 + i, 1000, 1_690_000_000_000, 1_700_000_000_000, Swap: 4096 * i),
                new Model.Container("sidecar", 1 + i, 2000, 1_690_000_000_000, 1_700_000_000_000)]);
        }
        var body = Encoding.UTF8.GetBytes(new Model(1000, 5000, 1_700_000_000_000, pods, NodeSwap: 1 << 20).Summary());
        var parser = new SummaryParser();
        var batch = new NodeBatch();
        parser.TryParse(body, ParserHarness.DefaultNs, batch, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = parser.TryParse(body, ParserHarness.DefaultNs, batch, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(60);
        await Assert.That(batch.Node.Swap).IsEqualTo(SwapUsage.Of(1 << 20));
        await Assert.That(allocated).IsEqualTo(0L);
    }

    private static Model.Container[] Distinct(Model.Container[] containers) => containers.DistinctBy(c => c.Name).ToArray();

    private static Model.Pod[] DistinctPods(Model.Pod[] pods) => pods.DistinctBy(p => (p.Namespace, p.Name)).ToArray();

    /// <summary>One node's state; <see cref="Text"/> and <see cref="Summary"/> write it as the two kubelet endpoints do.</summary>
    public sealed record Model(double NodeCpuSeconds, long NodeMemory, long TimestampMs, Model.Pod[] Pods, long NodeSwap = -1)
    {
        public string Text()
        {
            var s = new StringBuilder();
            foreach (var pod in Pods)
            {
                foreach (var c in pod.Containers)
                {
                    var labels = $"{{container=\"{c.Name}\",namespace=\"{pod.Namespace}\",pod=\"{pod.Name}\"}}";
                    s.Append(Inv($"container_cpu_usage_seconds_total{labels} {c.CpuSeconds:R} {c.TimestampMs}\n"));
                    s.Append(Inv($"container_memory_working_set_bytes{labels} {c.Memory} {c.TimestampMs}\n"));
                    s.Append(Inv($"container_start_time_seconds{labels} {c.StartMs / 1e3:R}\n"));
                    if (c.Swap >= 0)
                        s.Append(Inv($"container_swap_usage_bytes{labels} {(double)c.Swap:R} {c.TimestampMs}\n"));
                }
            }
            s.Append(Inv($"node_cpu_usage_seconds_total {NodeCpuSeconds:R} {TimestampMs}\n"));
            s.Append(Inv($"node_memory_working_set_bytes {NodeMemory} {TimestampMs}\n"));
            if (NodeSwap >= 0)
                s.Append(Inv($"node_swap_usage_bytes {(double)NodeSwap:R} {TimestampMs}\n"));
            return s.ToString();
        }

        public string Summary()
        {
            var s = new StringBuilder("{\"node\": {\"nodeName\": \"n\", ");
            s.Append(Inv($"\"cpu\": {{\"time\": \"{Time(TimestampMs)}\", \"usageCoreNanoSeconds\": {Nanos(NodeCpuSeconds)}}}, "));
            s.Append(Inv($"\"memory\": {{\"time\": \"{Time(TimestampMs)}\", \"workingSetBytes\": {NodeMemory}}}{SwapJson(NodeSwap, TimestampMs)}}}, \"pods\": ["));
            for (var p = 0; p < Pods.Length; p++)
            {
                var pod = Pods[p];
                s.Append(p == 0 ? "" : ", ").Append(Inv($"{{\"podRef\": {{\"name\": \"{pod.Name}\", \"namespace\": \"{pod.Namespace}\"}}, \"containers\": ["));
                for (var i = 0; i < pod.Containers.Length; i++)
                {
                    var c = pod.Containers[i];
                    s.Append(i == 0 ? "" : ", ").Append(Inv($"{{\"name\": \"{c.Name}\", \"startTime\": \"{Time(c.StartMs)}\", "))
                        .Append(Inv($"\"cpu\": {{\"time\": \"{Time(c.TimestampMs)}\", \"usageCoreNanoSeconds\": {Nanos(c.CpuSeconds)}}}, "))
                        .Append(Inv($"\"memory\": {{\"time\": \"{Time(c.TimestampMs)}\", \"workingSetBytes\": {c.Memory}}}{SwapJson(c.Swap, c.TimestampMs)}}}"));
                }
                s.Append("]}");
            }
            return s.Append("]}").ToString();
        }

        private static string SwapJson(long swap, long ms) =>
            swap < 0 ? "" : Inv($", \"swap\": {{\"time\": \"{Time(ms)}\", \"swapUsageBytes\": {swap}}}");

        private static ulong Nanos(double seconds) => (ulong)(seconds * 1e9);

        private static string Time(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

        public sealed record Pod(string Namespace, string Name, Container[] Containers);

        public sealed record Container(string Name, double CpuSeconds, long Memory, long StartMs, long TimestampMs, long Swap = -1);
    }
}
