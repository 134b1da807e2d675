namespace TinyMetrics.Benchmarks;

/// <summary><see cref="BenchmarkConfig"/> plus the parser's throughput column.</summary>
public sealed class ParserConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public ParserConfig()
    {
        Add(new BenchmarkConfig());
        AddColumn(new ParserThroughputColumn());
    }
}
