using System.Diagnostics;
using TinyMetrics.Kube;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Discovery.Tests;

/// <summary>
/// A list of 300,000 metadata-only pods through the real list decoding and pod cache, then a relist after 410 Gone.
/// It asserts the contents; the time and memory it prints are measured, not asserted (RELIABILITY.md has the figures).
/// </summary>
public class LargeRelistTests
{
    private const int PodCount = 300_000;
    private const int Dropped = 1_000;

    [Test]
    [Timeout(180_000)]
    public async Task RelistOf300kPods_ViewHoldsEveryPod_RelistAfter410ReplacesIt(CancellationToken testEnd)
    {
        await using var api = new FakeApiServer();
        api.Nodes = [KubeObjects.Node("node-a")];
        // 50 label sets among 300,000 pods, as replicas of a few hundred deployments share theirs.
        var pods = new List<string>(PodCount);
        for (var i = 0; i < PodCount; i++)
            pods.Add(KubeObjects.Pod("ns-" + (i % 100), "pod-" + i, labels: $"\"app\":\"app-{i % 50}\",\"tier\":\"web\""));
        api.Pods = pods;
        // The first pod watch ends when told to; the next is answered 410 Gone, and the relist it causes finds 1,000 pods fewer.
        var endWatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.PodWatches.Enqueue(async (_, ct) =>
        {
            await endWatch.Task.WaitAsync(ct);
            return true;
        });
        var expire = 0;
        api.ExpireWatch = request =>
        {
            if (request.Path != "/api/v1/pods" || Interlocked.Exchange(ref expire, 0) == 0)
                return false;
            api.Pods = pods.GetRange(0, PodCount - Dropped);
            return true;
        };

        using var api2 = new KubeApiClient(api.BaseUri, new SocketsHttpHandler(), new StaticTokenSource("api-token"));
        var service = new DiscoveryService(api2, new DiscoveryOptions { CoalesceInterval = TimeSpan.FromMilliseconds(20) }, TimeProvider.System);
        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(testEnd);
        var clock = Stopwatch.StartNew();
        var loop = service.RunAsync(stop.Token);
        await service.WaitForSyncAsync(testEnd).WaitAsync(TimeSpan.FromSeconds(120), testEnd);
        var listTime = clock.Elapsed;
        var allocatedList = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var view = service.Current;
        var retainedList = GC.GetTotalMemory(forceFullCollection: true) - retainedBefore;

        await Assert.That(view.Pods.Count).IsEqualTo(PodCount);
        await Assert.That(view.Pods.ContainsKey(new PodKey("ns-7", "pod-299907"))).IsTrue();

        clock.Restart();
        Volatile.Write(ref expire, 1);
        endWatch.SetResult();
        while (service.Current.Pods.Count != PodCount - Dropped)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
                throw new TimeoutException("no relist within 120 s");
            await Task.Delay(20, testEnd);
        }
        var relistTime = clock.Elapsed;
        var pages = api.RequestsTo("/api/v1/pods", watch: false).Length;
        await Assert.That(service.Current.Pods.ContainsKey(new PodKey("ns-99", "pod-299999"))).IsFalse();
        // Pages of 500: the first list and the relist, which has 1,000 pods fewer.
        await Assert.That(pages).IsEqualTo(((PodCount + 499) / 500) + ((PodCount - Dropped + 499) / 500));

        Console.WriteLine($"list of {PodCount} pods: {listTime.TotalSeconds:F2} s, {allocatedList / 1048576.0:F0} MiB allocated (fake API included), "
            + $"{retainedList / 1048576.0:F0} MiB retained (view + caches); relist after 410: {relistTime.TotalSeconds:F2} s; pages {pages}");
        GC.KeepAlive(view);
        stop.Cancel();
        await loop.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
    }
}
