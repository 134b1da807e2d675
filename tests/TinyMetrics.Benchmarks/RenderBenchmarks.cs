using System.Buffers;
using BenchmarkDotNet.Attributes;
using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// Serving from pre-rendered bytes: the once-per-cycle <see cref="RenderedSnapshot.Render"/> and two reads of it.
/// Allocation budgets:
/// Render: ≤ 1.1 × the rendered bytes (~370 B of JSON per pod at 2 containers): the item buffer, two int
/// offsets per item and the size-estimate scratch (64 KB); no object per item.
/// HpaPodList (namespace + app=X, ~30 pods) and FullPodList: 0 B (the output buffer is reused).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class RenderBenchmarks
{
    private const long NowNs = SyntheticCluster.T0 + 20_000_000_000;

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private MetricsSnapshot _snapshot = null!;
    private RenderedSnapshot _rendered = null!;
    private HpaQuery _hpa = null!;

    [ParamsSource(nameof(Shapes))]
    public ClusterShape Shape { get; set; } = ClusterShape.Hpa1000;

    public static IEnumerable<ClusterShape> Shapes => [ClusterShape.Hpa1000, ClusterShape.Hpa10000];

    [GlobalSetup]
    public void Setup()
    {
        _snapshot = SyntheticCluster.Create(Shape).StoreTwoCycles();
        _rendered = RenderedSnapshot.Render(_snapshot);
        _hpa = HpaQuery.ForMiddleDeployment(Shape);
        var hpaPods = HpaPodList();
        var hpaBytes = _output.WrittenCount;
        var allPods = FullPodList();
        Console.WriteLine($"// {Shape}: {_snapshot.Pods.Length} pods, rendered {_rendered.RenderedBytes} bytes; " +
            $"HPA list {hpaPods} pods {hpaBytes} bytes; full list {allPods} pods {_output.WrittenCount} bytes");
    }

    [Benchmark]
    public long Render() => RenderedSnapshot.Render(_snapshot).RenderedBytes;

    [Benchmark]
    public int HpaPodList()
    {
        _output.ResetWrittenCount();
        return _rendered.WritePodList(_output, ApiVersion.V1Beta1, NowNs, _hpa.Namespace, _hpa.Selector);
    }

    [Benchmark]
    public int FullPodList()
    {
        _output.ResetWrittenCount();
        return _rendered.WritePodList(_output, ApiVersion.V1Beta1, NowNs);
    }
}
