using System.Diagnostics;
using System.IO.Pipelines;
using TinyMetrics.Rendering;
using TinyMetrics.Storage;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--proto-vs-json [rounds]</c>: at one cluster shape, the once-per-snapshot render of every pod and node as JSON
/// items and as protobuf items (median of the rounds, Stopwatch, after one warm-up), and the size of the full
/// pod and node lists each way, written through a pipe as a response is. The ratio is what to read on a busy machine.
/// </summary>
internal static class ProtoVsJsonRunner
{
    public static void Run(ClusterShape shape, int rounds)
    {
        var snapshot = SyntheticCluster.Create(shape).StoreTwoCycles();
        var json = Median(rounds, () =>
        {
            RenderedItems.Render(snapshot.Nodes, MetricsJson.WriteNodeItem);
            RenderedItems.Render(snapshot.Pods, MetricsJson.WritePodItem);
        });
        var proto = Median(rounds, () =>
        {
            ProtoItems.Render(snapshot.Nodes, MetricsProto.NodeSize, MetricsProto.WriteNode);
            ProtoItems.Render(snapshot.Pods, MetricsProto.PodSize, MetricsProto.WritePod);
        });
        var rendered = RenderedSnapshot.Render(snapshot);
        const long now = SyntheticCluster.T0 + 20_000_000_000;
        var jsonPods = Size(w => rendered.WritePodListAsync(w, ApiVersion.V1Beta1, now));
        var protoPods = Size(w => rendered.WritePodListProtobufAsync(w, ApiVersion.V1Beta1, now));
        var jsonNodes = Size(w => rendered.WriteNodeListAsync(w, ApiVersion.V1Beta1, now));
        var protoNodes = Size(w => rendered.WriteNodeListProtobufAsync(w, ApiVersion.V1Beta1, now));
        var jsonList = Median(rounds, () => Size(w => rendered.WritePodListAsync(w, ApiVersion.V1Beta1, now)));
        var protoList = Median(rounds, () => Size(w => rendered.WritePodListProtobufAsync(w, ApiVersion.V1Beta1, now)));
        var hpa = HpaQuery.ForMiddleDeployment(shape);
        var jsonHpa = Allocated(rendered, (r, w) => r.WritePodListAsync(w, ApiVersion.V1Beta1, now, hpa.Namespace, hpa.Selector));
        var protoHpa = Allocated(rendered, (r, w) => r.WritePodListProtobufAsync(w, ApiVersion.V1Beta1, now, hpa.Namespace, hpa.Selector));
        Console.WriteLine($"{shape}: {snapshot.Nodes.Length} nodes, {snapshot.Pods.Length} pods, median of {rounds}");
        Console.WriteLine($"render items  JSON {json,9:F1} ms  protobuf {proto,9:F1} ms  protobuf/JSON {proto / json:F2}");
        Console.WriteLine($"pod list      JSON {jsonPods,12:N0} B  protobuf {protoPods,12:N0} B  protobuf/JSON {(double)protoPods / jsonPods:F2}");
        Console.WriteLine($"node list     JSON {jsonNodes,12:N0} B  protobuf {protoNodes,12:N0} B  protobuf/JSON {(double)protoNodes / jsonNodes:F2}");
        Console.WriteLine($"HPA query     JSON {jsonHpa,9} B/call  protobuf {protoHpa,9} B/call (allocated, steady state)");
        Console.WriteLine($"serve pods    JSON {jsonList,9:F1} ms  protobuf {protoList,9:F1} ms  protobuf/JSON {protoList / jsonList:F2}");
    }

    private static double Median(int rounds, Action action)
    {
        action();
        var times = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[rounds / 2];
    }

    // Bytes allocated per HPA-shaped query after warm-up, into a reused in-memory body as RenderBenchmarks does.
    private static long Allocated(RenderedSnapshot rendered, Func<RenderedSnapshot, PipeWriter, ValueTask<int>> write)
    {
        var body = new MemoryStream(1 << 20);
        var pipe = PipeWriter.Create(body, new StreamPipeWriterOptions(leaveOpen: true));
        const int Calls = 1000;
        for (var i = 0; i < 100; i++)
            Call();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
            Call();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;

        void Call()
        {
            body.SetLength(0);
            write(rendered, pipe).GetAwaiter().GetResult();
            pipe.FlushAsync().GetAwaiter().GetResult();
        }
    }

    private static long Size(Func<PipeWriter, ValueTask<int>> write)
    {
        var counter = new CountingStream();
        var pipe = PipeWriter.Create(counter);
        write(pipe).AsTask().GetAwaiter().GetResult();
        pipe.Complete();
        return counter.Length;
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
