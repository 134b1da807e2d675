using System.Text;

namespace TinyMetrics.Telemetry.Tests;

public class HistogramTests
{
    [Test]
    public async Task WriteTo_Observations_CumulativeBucketsSumAndCount()
    {
        var histogram = new Histogram([0.1, 1, 10]);
        histogram.Observe(0.05);
        histogram.Observe(0.1);
        histogram.Observe(2);
        histogram.Observe(50);

        var output = new StringBuilder();
        histogram.WriteTo(output, "h", "node=\"n1\"");

        await Assert.That(output.ToString()).IsEqualTo("""
            h_bucket{node="n1",le="0.1"} 2
            h_bucket{node="n1",le="1"} 2
            h_bucket{node="n1",le="10"} 3
            h_bucket{node="n1",le="+Inf"} 4
            h_sum{node="n1"} 52.15
            h_count{node="n1"} 4

            """.ReplaceLineEndings("\n"));
    }

    [Test]
    public async Task WriteTo_NoLabels_OmitsBraces()
    {
        var histogram = new Histogram([1]);
        histogram.Observe(3, count: 5);

        var output = new StringBuilder();
        histogram.WriteTo(output, "h", "");

        await Assert.That(output.ToString()).IsEqualTo("h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 5\nh_sum 15\nh_count 5\n");
    }

    [Test]
    public async Task Observe_NonPositiveCount_IsIgnored()
    {
        var histogram = new Histogram([1]);

        histogram.Observe(0.5, count: 0);
        histogram.Observe(0.5, count: -3);

        await Assert.That(histogram.Count).IsEqualTo(0);
    }

    [Test]
    public async Task DefaultBuckets_ArePrometheusDefBuckets()
    {
        await Assert.That(Histogram.DefaultBuckets).IsEquivalentTo(new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 });
    }

    [Test]
    public async Task ExponentialBuckets_AsClientGolang()
    {
        var buckets = Histogram.ExponentialBuckets(1, 2, 4);

        await Assert.That(buckets).IsEquivalentTo(new[] { 1.0, 2, 4, 8 });
    }

    [Test]
    [Arguments(10, new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 })]
    [Arguments(60, new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 35, 60, 90, 120 })]
    [Arguments(15, new[] { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 12.5, 15, 22.5, 30 })]
    public async Task ScrapeDurationBuckets_AboveTenSeconds_AddFourAroundTheResolution(int seconds, double[] expected)
    {
        var buckets = Histogram.ScrapeDurationBuckets(TimeSpan.FromSeconds(seconds));

        await Assert.That(buckets).IsEquivalentTo(expected);
    }
}
