using System.Text;

namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// The Summary API decoder against a kubelet-shaped body (whole-second RFC 3339 times, as metav1.Time writes them) and
/// metrics-server 0.5's decode rules: the CPU time is the point's time, and a missing or zero value drops the node point
/// or the whole pod.
/// </summary>
public class SummaryParserTests
{
    // 2021-10-03T09:36:49Z etc. in Unix ns.
    private const long NodeCpuTimeNs = 1_633_253_809_000_000_000;
    private const long ContainerTimeNs = 1_633_253_812_000_000_000;
    private const long StartNs = 1_633_252_712_000_000_000;

    // Shaped like a kubelet's /stats/summary?only_cpu_and_memory=true, with the fields it writes beside the ones read.
    private const string Body = """
        {
         "node": {
          "nodeName": "node1",
          "systemContainers": [{"name": "kubelet", "startTime": "2021-10-03T09:17:33Z", "cpu": {"time": "2021-10-03T09:36:40Z", "usageNanoCores": 1, "usageCoreNanoSeconds": 9}}],
          "startTime": "2021-10-03T09:17:33Z",
          "cpu": {"time": "2021-10-03T09:36:49Z", "usageNanoCores": 218391024, "usageCoreNanoSeconds": 357354910000},
          "memory": {"time": "2021-10-03T09:36:50Z", "availableBytes": 6641438720, "usageBytes": 2362322944, "workingSetBytes": 1616273408, "rssBytes": 796827648, "pageFaults": 0, "majorPageFaults": 0}
         },
         "pods": [
          {
           "podRef": {"name": "coredns-558bd4d5db-4dpjz", "namespace": "kube-system", "uid": "ab2c5e0f"},
           "startTime": "2021-10-03T09:18:30Z",
           "containers": [
            {"name": "coredns", "startTime": "2021-10-03T09:18:32Z",
             "cpu": {"time": "2021-10-03T09:36:52Z", "usageNanoCores": 3521882, "usageCoreNanoSeconds": 4710169000},
             "memory": {"time": "2021-10-03T09:36:52Z", "usageBytes": 15400960, "workingSetBytes": 12533760, "rssBytes": 10211328}}
           ],
           "cpu": {"time": "2021-10-03T09:36:43Z", "usageNanoCores": 3521882, "usageCoreNanoSeconds": 4678120000},
           "memory": {"time": "2021-10-03T09:36:43Z", "workingSetBytes": 12627968}
          },
          {
           "podRef": {"name": "web-0", "namespace": "shop", "uid": "c1"},
           "containers": [
            {"name": "app", "startTime": "2021-10-03T09:18:32Z",
             "cpu": {"time": "2021-10-03T09:36:52Z", "usageCoreNanoSeconds": 1000},
             "memory": {"time": "2021-10-03T09:36:52Z", "workingSetBytes": 2000}},
            {"name": "sidecar", "startTime": "2021-10-03T09:18:32Z",
             "cpu": {"time": "2021-10-03T09:36:52Z", "usageCoreNanoSeconds": 3000},
             "memory": {"time": "2021-10-03T09:36:52Z", "workingSetBytes": 4000}}
           ]
          }
         ]
        }
        """;

    public static (bool Ok, NodeBatch Batch, string? Error) Parse(string body)
    {
        var batch = new NodeBatch();
        var ok = new SummaryParser().TryParse(Encoding.UTF8.GetBytes(body), ParserHarness.DefaultNs, batch, out var error);
        return (ok, batch, error);
    }

    [Test]
    public async Task TryParse_KubeletBody_NodePointTakesTheCpuTime()
    {
        var (ok, batch, _) = Parse(Body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(batch.Node).IsEqualTo(new MetricPoint(0, NodeCpuTimeNs, 357_354_910_000UL, 1_616_273_408UL));
    }

    [Test]
    public async Task TryParse_KubeletBody_ContainersCarryStartTimeCpuAndWorkingSet()
    {
        var (_, batch, _) = Parse(Body);

        await Assert.That(batch.ContainerCount).IsEqualTo(3);
        var coredns = ParserHarness.Find(batch, "coredns-558bd4d5db-4dpjz", "coredns");
        await Assert.That(coredns.Namespace).IsEqualTo("kube-system");
        await Assert.That(coredns.Point).IsEqualTo(new MetricPoint(StartNs, ContainerTimeNs, 4_710_169_000UL, 12_533_760UL));
        await Assert.That(ParserHarness.Find(batch, "web-0", "sidecar").Point.MemoryBytes).IsEqualTo(4000UL);
    }

    // Each edit removes or zeroes one value of the node; the node point goes, the pods stay (decodeNodeStats).
    [Test]
    [Arguments("\"usageCoreNanoSeconds\": 357354910000", "\"usageCoreNanoSeconds\": 0")]
    [Arguments("\"usageCoreNanoSeconds\": 357354910000", "\"usageCoreNanoSeconds\": null")]
    [Arguments(", \"usageCoreNanoSeconds\": 357354910000", "")]
    [Arguments("\"workingSetBytes\": 1616273408", "\"workingSetBytes\": 0")]
    [Arguments(", \"workingSetBytes\": 1616273408", "")]
    [Arguments("\"cpu\": {\"time\": \"2021-10-03T09:36:49Z\"", "\"cpu\": {\"time\": null")]
    [Arguments("\"cpu\": {\"time\": \"2021-10-03T09:36:49Z\"", "\"cpu\": {\"time\": \"0001-01-01T00:00:00Z\"")]
    [Arguments("\"cpu\": {\"time\": \"2021-10-03T09:36:49Z\", \"usageNanoCores\": 218391024,", "\"cpu\": {")]
    public async Task TryParse_NodeValueMissingOrZero_DropsOnlyTheNodePoint(string from, string to)
    {
        var (ok, batch, _) = Parse(Replace(Body, from, to));

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(ParserHarness.CountPods(batch)).IsEqualTo(2);
    }

    // Each edit spoils web-0's sidecar; its pod goes whole, coredns stays (decodePodStats).
    [Test]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": 0")]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": null")]
    [Arguments("\"workingSetBytes\": 4000", "\"workingSetBytes\": 0")]
    [Arguments("\"workingSetBytes\": 4000", "\"rssBytes\": 4000")]
    [Arguments("{\"name\": \"sidecar\", \"startTime\": \"2021-10-03T09:18:32Z\",", "{\"name\": \"sidecar\",")]
    [Arguments("{\"name\": \"sidecar\", \"startTime\": \"2021-10-03T09:18:32Z\",", "{\"name\": \"sidecar\", \"startTime\": null,")]
    [Arguments("\"cpu\": {\"time\": \"2021-10-03T09:36:52Z\", \"usageCoreNanoSeconds\": 3000}", "\"cpu\": null")]
    [Arguments("\"cpu\": {\"time\": \"2021-10-03T09:36:52Z\", \"usageCoreNanoSeconds\": 3000}", "\"cpu\": {\"usageCoreNanoSeconds\": 3000}")]
    [Arguments("\"memory\": {\"time\": \"2021-10-03T09:36:52Z\", \"workingSetBytes\": 4000}", "\"memory\": null")]
    public async Task TryParse_ContainerValueMissingOrZero_DropsItsWholePod(string from, string to)
    {
        var (ok, batch, _) = Parse(Replace(Body, from, to));

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(ParserHarness.CountPods(batch)).IsEqualTo(1);
        await Assert.That(batch.Containers[0].Pod).IsEqualTo("coredns-558bd4d5db-4dpjz");
    }

    // Malformed JSON or a value of the wrong type fails the node, as upstream's unmarshal error does.
    [Test]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": -3000")]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": 3000.5")]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": \"3000\"")]
    [Arguments("\"usageCoreNanoSeconds\": 3000", "\"usageCoreNanoSeconds\": 18446744073709551616")]
    [Arguments("\"time\": \"2021-10-03T09:36:49Z\"", "\"time\": \"2021-10-03 09:36:49\"")]
    [Arguments("\"time\": \"2021-10-03T09:36:49Z\"", "\"time\": \"2021-02-30T09:36:49Z\"")]
    [Arguments("\"time\": \"2021-10-03T09:36:49Z\"", "\"time\": 1633253809")]
    [Arguments("\"pods\": [", "\"pods\": {\"x\": [")]
    [Arguments("\"name\": \"web-0\"", "\"name\": 7")]
    [Arguments("\"namespace\": \"shop\",", "\"namespace\": \"shop\"")]
    public async Task TryParse_MalformedOrMistyped_FailsTheNode(string from, string to)
    {
        var (ok, batch, error) = Parse(Replace(Body, from, to));

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsNotNull();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    [Test]
    [Arguments("")]
    [Arguments("[]")]
    [Arguments("null")]
    [Arguments("{\"node\": {}} {}")]
    [Arguments("{\"node\": {}")]
    [Arguments("<html>404 page not found</html>")]
    public async Task TryParse_NotASummaryObject_FailsTheNode(string body)
    {
        var (ok, _, error) = Parse(body);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsNotNull();
    }

    [Test]
    public async Task TryParse_EmptyObject_IsAValidSummaryWithNothingToServe()
    {
        var (ok, batch, _) = Parse("{}");

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    [Test]
    public async Task TryParse_PodRefAfterContainersAndEscapedNames_ReadsThePod()
    {
        const string body = """
            {"pods": [{"containers": [{"name": "a\u0070p", "startTime": "2021-10-03T09:18:32Z",
              "cpu": {"time": "2021-10-03T09:36:52Z", "usageCoreNanoSeconds": 5}, "memory": {"workingSetBytes": 6}}],
              "podRef": {"namespace": "n\u0073", "name": "p"}}]}
            """;

        var (ok, batch, _) = Parse(body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Containers.ToArray()).IsEquivalentTo(new[]
        {
            new ContainerSample("ns", "p", "app", new MetricPoint(StartNs, ContainerTimeNs, 5, 6)),
        });
    }

    [Test]
    public async Task TryParse_PodWithoutNameOrContainers_ContributesNothing()
    {
        const string body = """{"pods": [{"podRef": {"namespace": "ns"}, "containers": []}, {"podRef": {"namespace": "ns", "name": "p"}, "containers": null}]}""";

        var (ok, batch, _) = Parse(body);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    // Go's time.Parse(time.RFC3339, …) accepts a fraction and any offset; a kubelet writes neither.
    [Test]
    [Arguments("2021-10-03T09:36:52Z", 1_633_253_812_000_000_000L)]
    [Arguments("2021-10-03T09:36:52.125Z", 1_633_253_812_125_000_000L)]
    [Arguments("2021-10-03T09:36:52.123456789123Z", 1_633_253_812_123_456_789L)]
    [Arguments("2021-10-03T11:36:52+02:00", 1_633_253_812_000_000_000L)]
    [Arguments("2021-10-03T04:06:52.5-05:30", 1_633_253_812_500_000_000L)]
    [Arguments("1970-01-01T00:00:00Z", 0L)]
    [Arguments("2300-01-01T00:00:00Z", long.MaxValue)]
    public async Task SummaryTime_Rfc3339_ParsesToUnixNanoseconds(string text, long expected)
    {
        var ok = SummaryTime.TryParse(Encoding.ASCII.GetBytes(text), out var ns, out var isZero);

        await Assert.That(ok).IsTrue();
        await Assert.That(isZero).IsFalse();
        await Assert.That(ns).IsEqualTo(expected);
    }

    [Test]
    [Arguments("2021-10-03T09:36:52")]
    [Arguments("2021-10-03t09:36:52Z")]
    [Arguments("2021-13-03T09:36:52Z")]
    [Arguments("2021-10-03T24:00:00Z")]
    [Arguments("2021-10-03T09:36:60Z")]
    [Arguments("2021-10-03T09:36:52.Z")]
    [Arguments("2021-10-03T09:36:52+0200")]
    [Arguments("21-10-03T09:36:52Z")]
    public async Task SummaryTime_NotRfc3339_IsRejected(string text)
    {
        await Assert.That(SummaryTime.TryParse(Encoding.ASCII.GetBytes(text), out _, out _)).IsFalse();
    }

    private static string Replace(string body, string from, string to)
    {
        var at = body.IndexOf(from, StringComparison.Ordinal);
        if (at < 0)
            throw new ArgumentException($"'{from}' is not in the body");
        return body[..at] + to + body[(at + from.Length)..];
    }
}
