using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// Serving from pre-rendered bytes: the once-per-cycle <see cref="RenderedSnapshot.Render"/> and two reads of it.
/// Allocation budgets:
/// Render: ≤ 1.1 × the rendered bytes (~370 B of JSON per pod at 2 containers): the item buffer, two int
/// offsets per item and the size-estimate scratch (64 KB); no object per item.
/// HpaPodList (namespace + app=X, ~30 pods) and FullPodList: nothing per item (the output buffer is reused);
/// a call allocates ~160 B (`--hpa-percentiles`), among it the copy of the list header the async writer makes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(BenchmarkConfig))]
public class RenderBenchmarks
{
    private const long NowNs = SyntheticCluster.T0 + 20_000_000_000;

    // A reused body: the list writers write through a pipe writer as they do into a response.
    private readonly MemoryStream _body = new(1 << 20);
    private PipeWriter _output = null!;
    private MetricsSnapshot _snapshot = null!;
    private RenderedSnapshot _rendered = null!;
    private HpaQuery _hpa = null!;

    [ParamsSource(nameof(Shapes))]
    public ClusterShape Shape { get; set; } = ClusterShape.Hpa1000;

    public static IEnumerable<ClusterShape> Shapes => [ClusterShape.Hpa1000, ClusterShape.Hpa10000];

    [GlobalSetup]
    public void Setup()
    {
        _output = PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));
        _snapshot = SyntheticCluster.Create(Shape).StoreTwoCycles();
        _rendered = RenderedSnapshot.Render(_snapshot);
        _hpa = HpaQuery.ForMiddleDeployment(Shape);
        var hpaPods = HpaPodList();
        var hpaBytes = _body.Length;
        var allPods = FullPodList();
        Console.WriteLine($"// {Shape}: {_snapshot.Pods.Length} pods, rendered {_rendered.RenderedBytes} bytes; " +
            $"HPA list {hpaPods} pods {hpaBytes} bytes; full list {allPods} pods {_body.Length} bytes");
    }

    [Benchmark]
    public long Render() => RenderedSnapshot.Render(_snapshot).RenderedBytes;

    [Benchmark]
    public int HpaPodList()
    {
        _body.SetLength(0);
        return Finish(_rendered.WritePodListAsync(_output, ApiVersion.V1Beta1, NowNs, _hpa.Namespace, _hpa.Selector));
    }

    [Benchmark]
    public int FullPodList()
    {
        _body.SetLength(0);
        return Finish(_rendered.WritePodListAsync(_output, ApiVersion.V1Beta1, NowNs));
    }

    // The writer flushes into memory, so the list completes synchronously; the footer still needs a flush.
    private int Finish(ValueTask<int> write)
    {
        var items = write.GetAwaiter().GetResult();
        _output.FlushAsync().GetAwaiter().GetResult();
        return items;
    }
}
