using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace TinyMetrics.Benchmarks;

/// <summary>Adds the median (what BENCHMARKS.md records, robust on a shared machine) and P95 to every suite.</summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
