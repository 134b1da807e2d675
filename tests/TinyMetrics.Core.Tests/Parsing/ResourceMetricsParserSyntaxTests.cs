using System.Text;
using static TinyMetrics.Parsing.Tests.ParserHarness;
using TinyMetrics.Fixtures;

namespace TinyMetrics.Parsing.Tests;

/// <summary>What Prometheus' classic text parser rejects fails the whole node; comments and blank lines never do.</summary>
public class ResourceMetricsParserSyntaxTests
{
    private const string Valid = "node_cpu_usage_seconds_total 1 1700000000000\nnode_memory_working_set_bytes 2 1700000000000\n";

    [Test]
    [Arguments("node_cpu_usage_seconds_total\n", "line 1: expected value after metric")]
    [Arguments("node_cpu_usage_seconds_total{} \n", "line 1: expected value after metric")]
    [Arguments("node_cpu_usage_seconds_total 1.0 12abc\n", "line 1: expected next entry after timestamp")]
    [Arguments("node_cpu_usage_seconds_total 1.0 -5\n", "line 1: expected timestamp or new record")]
    [Arguments("node_cpu_usage_seconds_total 1.0 99999999999999999999\n", "line 1: timestamp out of range")]
    [Arguments("node_cpu_usage_seconds_total 1.0 1 2\n", "line 1: expected next entry after timestamp")]
    [Arguments("node_cpu_usage_seconds_total abc\n", "line 1: invalid sample value")]
    [Arguments("node_cpu_usage_seconds_total 1_000\n", "line 1: invalid sample value")]
    [Arguments("node_cpu_usage_seconds_total 0x10\n", "line 1: invalid sample value")]
    [Arguments("node_cpu_usage_seconds_total 1e400\n", "line 1: invalid sample value")]
    [Arguments("node_cpu_usage_seconds_total Infinite\n", "line 1: invalid sample value")]
    [Arguments("node_cpu_usage_seconds_total 1{\n", "line 1: expected timestamp or new record")]
    [Arguments("9node 1\n", "line 1: expected a valid start token")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=\"x\" pod=\"y\"} 1\n", "line 1: expected comma or brace close")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=\"x\",,pod=\"y\"} 1\n", "line 1: expected label name")]
    [Arguments("pod_cpu_usage_seconds_total{namespace:\"x\"} 1\n", "line 1: expected equal")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=x} 1\n", "line 1: expected label value")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=\"x} 1\n", "line 1: unterminated label value")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=\"x\\\"} 1\n", "line 1: unterminated label value")]
    [Arguments("pod_cpu_usage_seconds_total{namespace=\"x\"\n", "line 1: expected comma or brace close")]
    [Arguments("# ok\n\nnode_cpu_usage_seconds_total{a=\"b\"}{c=\"d\"} 1\n", "line 3: expected value after metric")]
    public async Task TryParse_MalformedSeriesLine_FailsWithLineAndReason(string body, string expected)
    {
        var (ok, batch, error) = Parse(body);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo(expected);
        await Assert.That(batch.HasNode).IsFalse();
    }

    [Test]
    public async Task TryParse_GarbageBytes_Fails()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes(Valid), 0xFF, 0xFE, 0x00, 0x13, (byte)'\n'];

        var (ok, _, error) = Parse(body);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("line 3: expected a valid start token");
    }

    [Test]
    public async Task TryParse_InvalidUtf8InLabelValue_Fails()
    {
        byte[] body = [.. "pod_cpu_usage_seconds_total{pod=\"a"u8, 0xC3, 0x28, .. "\"} 1\n"u8];

        var (ok, _, error) = Parse(body);

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("line 1: invalid UTF-8 label value");
    }

    [Test]
    [Arguments(200)]
    [Arguments(1000)]
    [Arguments(2500)]
    public async Task TryParse_BodyTruncatedInsideASeriesLine_Fails(int length)
    {
        var full = KubeletBodyBuilder.Build(pods: 30);
        var cut = full.AsSpan(0, length).ToArray();
        var (ok, _, error) = Parse(cut);

        await Assert.That(cut[^1]).IsNotEqualTo((byte)'\n');
        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsNotNull();
    }

    [Test]
    public async Task TryParse_LastSeriesLineWithoutLineBreak_FailsAsTruncated()
    {
        var (ok, _, error) = Parse(Valid.TrimEnd('\n'));

        await Assert.That(ok).IsFalse();
        await Assert.That(error).IsEqualTo("line 2: truncated body: series without a line break");
    }

    [Test]
    [Arguments("# HELP node_cpu_usage_seconds_total \u00ff garbage \t{{\n")]
    [Arguments("# TYPE node_cpu_usage_seconds_total notatype\n")]
    [Arguments("#no space comment\n")]
    [Arguments("\n\n   \n\t\n")]
    [Arguments("# EOF comment without line break")]
    public async Task TryParse_CommentsAndBlankLines_AreSkipped(string extra)
    {
        var (ok, batch, _) = Parse(Valid + extra);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsTrue();
    }

    [Test]
    [Arguments("node_cpu_usage_seconds_total\t1\t1700000000000\t\nnode_memory_working_set_bytes  2   1700000000000 \n")]
    [Arguments("node_cpu_usage_seconds_total{} 1 1700000000000\nnode_memory_working_set_bytes{ } 2 1700000000000\n")]
    [Arguments("  node_cpu_usage_seconds_total 1 1700000000000\nnode_memory_working_set_bytes 2 1700000000000\r\n")]
    [Arguments("node_cpu_usage_seconds_total{a=\"b\",} 1 1700000000000\nnode_memory_working_set_bytes { a = \"b\" , c=\"\" } 2 1700000000000\n")]
    [Arguments("{\"my.metric\",a=\"b\"} 7\nnode_cpu_usage_seconds_total 1 1700000000000\nnode_memory_working_set_bytes 2 1700000000000\n")]
    public async Task TryParse_WhitespaceAndLabelVariants_Accepted(string body)
    {
        var (ok, batch, error) = Parse(body);

        await Assert.That(error).IsNull();
        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.CpuNanoSeconds).IsEqualTo(1_000_000_000UL);
        await Assert.That(batch.Node.MemoryBytes).IsEqualTo(2UL);
    }

    [Test]
    [Arguments("node_cpu_usage_seconds_total_extra 9 1700000000000\n")]
    [Arguments("node_cpu_usage_seconds_total:rate 9 1700000000000\n")]
    [Arguments("xnode_cpu_usage_seconds_total 9 1700000000000\n")]
    public async Task TryParse_SeriesWithLongerOrOtherName_IsIgnored(string extra)
    {
        var (ok, batch, _) = Parse(Valid + extra);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.Node.CpuNanoSeconds).IsEqualTo(1_000_000_000UL);
    }

    [Test]
    public async Task TryParse_EmptyBody_SucceedsWithNothing()
    {
        var (ok, batch, _) = Parse(""u8);

        await Assert.That(ok).IsTrue();
        await Assert.That(batch.HasNode).IsFalse();
        await Assert.That(batch.ContainerCount).IsEqualTo(0);
    }
}
