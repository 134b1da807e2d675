using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TinyMetrics.Benchmarks;

/// <summary>Body bytes divided by the median time: the DESIGN's "≥ 1 GB/s per core" figure, in MB/s (10^6 B).</summary>
public sealed class ParserThroughputColumn : IColumn
{
    public string Id => nameof(ParserThroughputColumn);

    public string ColumnName => "MB/s (median)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Kubelet body bytes / median time per parse, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || benchmarkCase.Parameters["PodsPerNode"] is not int pods)
            return "?";
        var bytes = KubeletBodies.ForPods(pods).Length;
        return (bytes / stats.Median * 1000).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
