namespace TinyMetrics.Parsing.Tests;

/// <summary>
/// Swap from the Summary API (kubelet 1.29+ writes <c>swap</c> on the node, each pod and each container): the
/// node's and containers' <c>swapUsageBytes</c> become the same <see cref="SwapUsage"/> the text path's swap series give,
/// a missing reading is none (never a made-up zero), and swap neither adds nor keeps a point.
/// </summary>
public class SummaryParserSwapTests
{
    // A 1.29+ kubelet's only_cpu_and_memory answer on a node with swap: this repo's own names and values.
    private const string WithSwap = """
        {"node": {"nodeName": "n1", "startTime": "2023-11-14T20:00:00Z",
          "cpu": {"time": "2023-11-14T22:13:29Z", "usageNanoCores": 1, "usageCoreNanoSeconds": 357354910000},
          "memory": {"time": "2023-11-14T22:13:29Z", "workingSetBytes": 1616273408},
          "swap": {"time": "2023-11-14T22:13:29Z", "swapAvailableBytes": 4221566976, "swapUsageBytes": 73400320}},
         "pods": [{"podRef": {"name": "cart-5d8f7-abcde", "namespace": "shop", "uid": "u1"},
          "containers": [
           {"name": "app", "startTime": "2023-11-14T21:00:00Z",
            "cpu": {"time": "2023-11-14T22:13:31Z", "usageCoreNanoSeconds": 12500000000},
            "memory": {"time": "2023-11-14T22:13:31Z", "workingSetBytes": 5242880},
            "swap": {"time": "2023-11-14T22:13:31Z", "swapUsageBytes": 2097152}},
           {"name": "sidecar", "startTime": "2023-11-14T21:00:00Z",
            "cpu": {"time": "2023-11-14T22:13:31Z", "usageCoreNanoSeconds": 250000000},
            "memory": {"time": "2023-11-14T22:13:31Z", "workingSetBytes": 1048576},
            "swap": {"time": "2023-11-14T22:13:31Z", "swapUsageBytes": 0}}],
          "swap": {"time": "2023-11-14T22:13:31Z", "swapUsageBytes": 2097152}}]}
        """;

    [Test]
    public async Task TryParse_NodeSwap_KeepsItBesideCpuAndMemory()
    {
        var (ok, batch, _) = SummaryParserTests.Parse(WithSwap);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.Swap).IsEqualTo(SwapUsage.Of(73_400_320));
        await Assert.That(batch.Node.MemoryBytes).IsEqualTo(1_616_273_408UL);
    }

    [Test]
    public async Task TryParse_ContainerSwap_ZeroIsAReadingToo()
    {
        var (_, batch, _) = SummaryParserTests.Parse(WithSwap);

        await Assert.That(ParserHarness.Find(batch, "cart-5d8f7-abcde", "app").Point.Swap).IsEqualTo(SwapUsage.Of(2_097_152));
        var sidecar = ParserHarness.Find(batch, "cart-5d8f7-abcde", "sidecar").Point.Swap;
        await Assert.That(sidecar.IsReported).IsTrue();
        await Assert.That(sidecar.Bytes).IsEqualTo(0UL);
    }

    // No swap object, a null one, or one without (or with a null) swapUsageBytes: no reading, as the kubelet then writes no swap series.
    [Test]
    [Arguments("\"swap\": {\"time\": \"2023-11-14T22:13:29Z\", \"swapAvailableBytes\": 4221566976, \"swapUsageBytes\": 73400320}", "\"swap\": null")]
    [Arguments(",\n  \"swap\": {\"time\": \"2023-11-14T22:13:29Z\", \"swapAvailableBytes\": 4221566976, \"swapUsageBytes\": 73400320}", "")]
    [Arguments(", \"swapUsageBytes\": 73400320", "")]
    [Arguments("\"swapUsageBytes\": 73400320", "\"swapUsageBytes\": null")]
    public async Task TryParse_NodeSwapMissing_IsNoReading(string from, string to)
    {
        var (ok, batch, _) = SummaryParserTests.Parse(Replace(WithSwap, from, to));

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
        await Assert.That(batch.Node.Swap.IsReported).IsFalse();
        await Assert.That(ParserHarness.Find(batch, "cart-5d8f7-abcde", "app").Point.Swap.IsReported).IsTrue();
    }

    [Test]
    public async Task TryParse_KubeletWithoutSwap_NoPointCarriesSwap()
    {
        var (ok, batch, _) = SummaryParserTests.Parse(
            """{"node": {"cpu": {"time": "2023-11-14T22:13:29Z", "usageCoreNanoSeconds": 5}, "memory": {"workingSetBytes": 6}}}""");

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.Swap).IsEqualTo(default(SwapUsage));
    }

    // Swap rides on the point: a node without CPU keeps no point for its swap, a container with swap still needs its usage.
    [Test]
    public async Task TryParse_SwapWithoutUsage_KeepsNoPoint()
    {
        var (ok, batch, _) = SummaryParserTests.Parse(Replace(
            WithSwap, "\"usageCoreNanoSeconds\": 250000000", "\"usageCoreNanoSeconds\": 0").Replace("\"usageCoreNanoSeconds\": 357354910000", "\"usageCoreNanoSeconds\": 0"));

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    [Test]
    [Arguments("\"swapUsageBytes\": 73400320", "\"swapUsageBytes\": -1")]
    [Arguments("\"swapUsageBytes\": 73400320", "\"swapUsageBytes\": \"73400320\"")]
    [Arguments("\"swapUsageBytes\": 2097152}}", "\"swapUsageBytes\": 1.5}}")]
    [Arguments("\"swap\": {\"time\": \"2023-11-14T22:13:29Z\"", "\"swap\": {\"time\": \"yesterday\"")]
    [Arguments("\"swap\": {\"time\": \"2023-11-14T22:13:29Z\", \"swapAvailableBytes\": 4221566976, \"swapUsageBytes\": 73400320}", "\"swap\": 73400320")]
    public async Task TryParse_SwapMistyped_FailsTheNode(string from, string to)
    {
        var (ok, batch, error) = SummaryParserTests.Parse(Replace(WithSwap, from, to));

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsNotNull();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }

    private static string Replace(string body, string from, string to)
    {
        var at = body.IndexOf(from, StringComparison.Ordinal);
        if (at < 0)
            throw new ArgumentException($"'{from}' is not in the body");
        return body[..at] + to + body[(at + from.Length)..];
    }
}
