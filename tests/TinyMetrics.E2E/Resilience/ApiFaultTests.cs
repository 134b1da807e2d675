using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// The simulated kube-apiserver fails while tinymetrics runs: down at start, watches dropped or expired, answers
/// delayed, the review APIs down or hung, pods and nodes churning. tinymetrics stays up, keeps serving the last view, never lets an
/// unauthenticated request through, and converges once the API answers again.
/// </summary>
[NotInParallel(ClusterLanes.Own)]
public sealed partial class ApiFaultTests
{
    [Test]
    [ClassDataSource<ApiDownAtStartCluster>(Shared = SharedType.None)]
    public async Task ApiDownAtStart_LiveNotReady_RetriesWithBackoff_ThenServesExactNumbers(ApiDownAtStartCluster cluster)
    {
        // Four failed lists of nodes: the backoff ceiling doubles each time and the jitter keeps at least half of it,
        // so the third delay is always longer than the first.
        await cluster.Server.WaitForLineCountAsync(IsNodeRetry, 4, TimeSpan.FromSeconds(90));
        var delays = cluster.Server.Output.Split('\n').Where(IsNodeRetry).Select(RetryDelayMs).ToArray();
        await Assert.That(delays[2]).IsGreaterThan(delays[0]).Because(string.Join(", ", delays));
        await Assert.That(cluster.Server.HasExited).IsFalse();

        // As metrics-server, whose metadata informer check is on /livez too: only that check fails there.
        var (live, liveBody) = await GetAnonymousAsync(cluster, "/livez?verbose");
        var (ready, readyBody) = await GetAnonymousAsync(cluster, "/readyz?verbose");
        await Assert.That(live).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(liveBody.Split('\n').Where(l => l.StartsWith("[-]", StringComparison.Ordinal)).ToArray())
            .IsEquivalentTo(["[-]metadata-informer-sync failed: reason withheld"]).Because(liveBody);
        await Assert.That(ready).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(readyBody).Contains("[-]metric-informer-sync failed");

        await cluster.SetApiFaultAsync("none");
        await cluster.SetReviewFaultAsync("none");
        // The next retry is at most 30 s away (the backoff cap), then two scrapes.
        await cluster.WaitUntilServingAsync(TimeSpan.FromSeconds(120));
        await AssertAllNodesExactAsync(cluster);
        (ready, readyBody) = await GetAnonymousAsync(cluster, "/readyz?verbose");
        await Assert.That(ready).IsEqualTo(HttpStatusCode.OK).Because(readyBody);
    }

    [Test]
    [ClassDataSource<ApiFaultCluster>(Shared = SharedType.None)]
    public async Task WatchesDroppedExpiredAndApiBrieflyDown_ServingNeverLosesANode_ViewRelists(ApiFaultCluster cluster)
    {
        var nodeLists = cluster.Server.CountLines(l => l.Contains("Listed nodes", StringComparison.Ordinal));
        var podLists = cluster.Server.CountLines(l => l.Contains("Listed pods", StringComparison.Ordinal));

        // A restarting kube-apiserver: every watch ends, and reconnects are refused for a few seconds.
        for (var round = 0; round < 3; round++)
        {
            await cluster.SetApiFaultAsync("unavailable");
            await cluster.CloseWatchesAsync();
            await AssertAllNodesExactAsync(cluster);
            await Task.Delay(2000);
            await cluster.SetApiFaultAsync("none");
            await AssertAllNodesExactAsync(cluster);
        }
        await cluster.Server.WaitForLineAsync(IsNodeRetry, TimeSpan.FromSeconds(30));

        // 410 Gone: the watch's resourceVersion is too old, so the watcher lists again.
        await cluster.ExpireWatchesAsync();
        await cluster.Server.WaitForLineAsync(l => l.Contains("Watch of nodes expired (410 Gone), relisting", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        await cluster.Server.WaitForLineCountAsync(l => l.Contains("Listed nodes", StringComparison.Ordinal), nodeLists + 1, TimeSpan.FromSeconds(60));
        await cluster.Server.WaitForLineCountAsync(l => l.Contains("Listed pods", StringComparison.Ordinal), podLists + 1, TimeSpan.FromSeconds(60));

        // Across a scrape after all of it, the served set is still exactly the cluster.
        await Task.Delay(11_000);
        await AssertAllNodesExactAsync(cluster);
        await AssertAllPodsServedAsync(cluster);
        await Assert.That(cluster.Server.HasExited).IsFalse();
    }

    [Test]
    [ClassDataSource<ApiFaultCluster>(Shared = SharedType.None)]
    public async Task SlowApi_ServingContinuesFromTheLastView_NoRequestWaitsOnTheApi(ApiFaultCluster cluster)
    {
        // Every list and watch answer of the API now waits 40 s; the closed watches reconnect into that wait.
        await cluster.SetApiFaultAsync("slow", delaySeconds: 40);
        await cluster.CloseWatchesAsync();
        var kubectl = cluster.Kubectl();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var answers = 0;
        while (DateTime.UtcNow < until)
        {
            // kubectl gives up after 20 s, half the API's delay: an answer that waited on the API would fail here.
            var nodes = await kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
            await Assert.That(nodes.ExitCode).IsEqualTo(0).Because(nodes.Output);
            await Assert.That(ServedNodes(nodes.Output).Count).IsEqualTo(cluster.Expected.Nodes.Count);
            answers++;
            await Task.Delay(2000);
        }
        await Assert.That(answers).IsGreaterThan(3);
        await AssertAllPodsServedAsync(cluster);
        await cluster.SetApiFaultAsync("none");
        await AssertAllNodesExactAsync(cluster);
    }

    [Test]
    [ClassDataSource<ApiFaultCluster>(Shared = SharedType.None)]
    public async Task ReviewsDownOrHung_CachedDecisionsHold_OtherwiseUnauthorizedOrError_NeverAPass(ApiFaultCluster cluster)
    {
        const string user = "api-fault-user";
        await cluster.SetPolicyAsync(user, allowed: true);
        var token = await cluster.IssueTokenAsync(user, 600);
        const string nodes = "/apis/metrics.k8s.io/v1beta1/nodes";
        await Assert.That(await StatusAsync(cluster, nodes, token)).IsEqualTo(HttpStatusCode.OK);

        await cluster.SetReviewFaultAsync("unavailable");
        // Within the caches' 10 s: the TokenReview and the SubjectAccessReview of that request are both remembered.
        await Assert.That(await StatusAsync(cluster, nodes, token)).IsEqualTo(HttpStatusCode.OK);
        // Same token (its review cached), a request never authorized before: the authorizer's error is a 500.
        await Assert.That(await StatusAsync(cluster, "/apis/metrics.k8s.io/v1beta1/pods", token)).IsEqualTo(HttpStatusCode.InternalServerError);
        // A token never reviewed: the authenticator's error is a 401, never a pass as anonymous.
        var fresh = await cluster.IssueTokenAsync(user, 600);
        await Assert.That(await StatusAsync(cluster, nodes, fresh)).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await StatusAsync(cluster, nodes, "not-a-token")).IsEqualTo(HttpStatusCode.Unauthorized);

        // Once the cached review expires, the known token fails too.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HttpStatusCode status;
        do
        {
            await Task.Delay(1000);
            status = await StatusAsync(cluster, nodes, token);
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        await Assert.That(status).IsEqualTo(HttpStatusCode.Unauthorized);

        // A review that never answers: tinymetrics' own call deadline (10 s) ends it, and the answer is a 401.
        await cluster.SetReviewFaultAsync("hang");
        await Assert.That(await StatusAsync(cluster, nodes, fresh)).IsEqualTo(HttpStatusCode.Unauthorized);

        await cluster.SetReviewFaultAsync("none");
        await Assert.That(await StatusAsync(cluster, nodes, fresh)).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(cluster.Server.HasExited).IsFalse();
    }

    [Test]
    [ClassDataSource<ApiChurnCluster>(Shared = SharedType.None)]
    public async Task Churn_PodsAndNodesDeletedAndCreatedEverySecond_NothingServedOnceItsDeletionIsSeen(ApiChurnCluster cluster)
    {
        // The oracle needs no clock: the simulator answers each deletion with its resourceVersion, and tinymetrics logs the
        // view's resourceVersions with every publish of the served snapshot. A pod whose deletion is at or below the
        // logged pod version when a request starts must be absent from that answer. Pods of a deleted node are not
        // deleted (metrics-server serves them too until a scrape forgets them): absent once two cycles have finished
        // after the node's deletion was logged, the second having started with a view without the node.
        var random = new Random(12);
        var pods = cluster.Expected.Pods;
        var nodes = cluster.Expected.Nodes;
        var deletedPods = new Dictionary<string, (long Rv, DateTime At)>(StringComparer.Ordinal);
        var deletedNodes = new Dictionary<string, (long Rv, int? CyclesWhenSeen)>(StringComparer.Ordinal);
        var latencies = new List<double>();
        int polls = 0, podChecks = 0, nodeChecks = 0, orphanChecks = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var tick = 0; DateTime.UtcNow < until; tick++)
        {
            var pod = pods[random.Next(pods.Count)];
            var key = pod.Namespace + "/" + pod.Name;
            if (deletedPods.Remove(key))
                await cluster.ControlAsync($"/simulator/pods/{key}/create");
            else
                deletedPods[key] = (DeletionVersion(await cluster.ControlAsync($"/simulator/pods/{key}/delete")), DateTime.UtcNow);
            if (tick % 5 == 0)
            {
                var node = nodes[random.Next(nodes.Count)].Name;
                if (deletedNodes.Remove(node))
                    await cluster.ControlAsync($"/simulator/nodes/{node}/create");
                else
                    deletedNodes[node] = (DeletionVersion(await cluster.ControlAsync($"/simulator/nodes/{node}/delete")), null);
            }

            // What tinymetrics has seen before the requests below start.
            var (nodesSeen, podsSeen, cycles) = Followed(cluster.Server.Output);
            foreach (var (node, state) in deletedNodes.ToArray())
            {
                if (state.CyclesWhenSeen is null && state.Rv <= nodesSeen)
                    deletedNodes[node] = state with { CyclesWhenSeen = cycles };
            }
            var asked = DateTime.UtcNow;
            var servedPods = await ServedPodsAsync(cluster);
            var answered = DateTime.UtcNow;
            var servedNodes = await ServedNodeNamesAsync(cluster);
            if (servedPods is null || servedNodes is null)
                continue;
            polls++;
            foreach (var (name, (rv, at)) in deletedPods.ToArray())
            {
                if (rv <= podsSeen)
                {
                    podChecks++;
                    await Assert.That(servedPods.Contains(name)).IsFalse().Because($"{name} deleted at resourceVersion {rv}, served at {asked:O} after the log showed pods at {podsSeen}");
                }
                if (!servedPods.Contains(name) && at != default)
                {
                    latencies.Add((answered - at).TotalSeconds);
                    deletedPods[name] = (rv, default);
                }
            }
            foreach (var (name, (rv, cyclesWhenSeen)) in deletedNodes)
            {
                if (rv > nodesSeen)
                    continue;
                nodeChecks++;
                await Assert.That(servedNodes.Contains(name)).IsFalse().Because($"node {name} deleted at resourceVersion {rv}, served after the log showed nodes at {nodesSeen}");
                if (cyclesWhenSeen is not { } seen || cycles < seen + 2)
                    continue;
                foreach (var p in pods.Where(p => p.NodeName == name))
                {
                    orphanChecks++;
                    await Assert.That(servedPods.Contains(p.Namespace + "/" + p.Name)).IsFalse().Because($"{p.Name} of deleted node {name}, two cycles on");
                }
            }
            await Task.Delay(1000);
        }
        Console.WriteLine($"churn: {polls} polls, {podChecks} pod, {nodeChecks} node and {orphanChecks} orphaned-pod checks; deletion to the first answer without the pod (kubectl's time included): "
            + $"median {Median(latencies):F2} s, max {(latencies.Count > 0 ? latencies.Max() : 0):F2} s over {latencies.Count} deletions");
        await Assert.That(polls).IsGreaterThan(10);
        await Assert.That(podChecks).IsGreaterThan(10);
        await Assert.That(nodeChecks).IsGreaterThan(0);

        foreach (var key in deletedPods.Keys)
            await cluster.ControlAsync($"/simulator/pods/{key}/create");
        foreach (var node in deletedNodes.Keys)
            await cluster.ControlAsync($"/simulator/nodes/{node}/create");
        // Every pod again, once scraped: the next cycle or two.
        var expected = pods.Select(p => p.Namespace + "/" + p.Name).ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        HashSet<string>? last = null;
        while (DateTime.UtcNow < deadline && !(last?.SetEquals(expected) ?? false))
        {
            await Task.Delay(1000);
            last = await ServedPodsAsync(cluster) ?? last;
        }
        await Assert.That(last is not null && last.SetEquals(expected)).IsTrue().Because(string.Join(",", last ?? []));
        await AssertAllNodesExactAsync(cluster);
        await Assert.That(cluster.Server.HasExited).IsFalse();
    }

    // "deleted NAME rv=N" from the simulator's control endpoint.
    private static long DeletionVersion(string answer) =>
        long.Parse(ControlVersion().Match(answer).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^deleted \S+ rv=([0-9]+)")]
    private static partial Regex ControlVersion();

    // The newest node and pod resourceVersions the served snapshot follows, and how many scrape cycles have finished.
    private static (long Nodes, long Pods, int Cycles) Followed(string output)
    {
        long nodes = 0, pods = 0;
        var cycles = 0;
        foreach (var line in output.Split('\n'))
        {
            if (line.Contains("Scrape cycle finished", StringComparison.Ordinal))
                cycles++;
            if (FollowedVersions().Match(line) is not { Success: true } m)
                continue;
            nodes = Math.Max(nodes, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            pods = Math.Max(pods, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        return (nodes, pods, cycles);
    }

    [GeneratedRegex("""Served snapshot follows the cluster view.* nodesResourceVersion="?([0-9]+)"? podsResourceVersion="?([0-9]+)""")]
    private static partial Regex FollowedVersions();

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
            return 0;
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static async Task<HashSet<string>?> ServedNodeNamesAsync(ApiFaultCluster cluster)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
        return result.ExitCode == 0 ? ServedNodes(result.Output).Keys.ToHashSet(StringComparer.Ordinal) : null;
    }

    private static async Task<HashSet<string>?> ServedPodsAsync(ApiFaultCluster cluster)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods");
        if (result.ExitCode != 0)
            return null;
        using var json = JsonDocument.Parse(result.Output[result.Output.IndexOf('{')..]);
        return json.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + i.GetProperty("metadata").GetProperty("name").GetString())
            .ToHashSet(StringComparer.Ordinal);
    }

    private static bool IsNodeRetry(string line) => line.Contains("List/watch of nodes failed, retrying in", StringComparison.Ordinal);

    private static double RetryDelayMs(string line) =>
        double.Parse(RetryDelay().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"retrying in ([0-9.]+) ms")]
    private static partial Regex RetryDelay();

    private static async Task AssertAllNodesExactAsync(ApiFaultCluster cluster)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        var served = ServedNodes(result.Output);
        await Assert.That(served.Count).IsEqualTo(cluster.Expected.Nodes.Count).Because(result.Output);
        foreach (var node in cluster.Expected.Nodes)
            await Assert.That(served.GetValueOrDefault(node.Name)).IsEqualTo(node.MemoryBytes).Because(node.Name);
    }

    private static async Task AssertAllPodsServedAsync(ApiFaultCluster cluster)
    {
        var result = await cluster.Kubectl().RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/pods");
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        using var json = JsonDocument.Parse(result.Output[result.Output.IndexOf('{')..]);
        var served = json.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("metadata").GetProperty("namespace").GetString() + "/" + i.GetProperty("metadata").GetProperty("name").GetString())
            .Order(StringComparer.Ordinal).ToArray();
        var expected = cluster.Expected.Pods.Select(p => p.Namespace + "/" + p.Name).Order(StringComparer.Ordinal).ToArray();
        await Assert.That(served).IsEquivalentTo(expected);
    }

    // name → memory bytes of every node in a NodeMetricsList.
    private static Dictionary<string, long> ServedNodes(string output)
    {
        using var json = JsonDocument.Parse(output[output.IndexOf('{')..]);
        return json.RootElement.GetProperty("items").EnumerateArray().ToDictionary(
            i => i.GetProperty("metadata").GetProperty("name").GetString()!,
            i => QuantityText.Bytes(i.GetProperty("usage").GetProperty("memory").GetString()!));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAnonymousAsync(LocalCluster cluster, string path)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{cluster.ServerPort}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> StatusAsync(LocalCluster cluster, string path, string token)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri($"https://127.0.0.1:{cluster.ServerPort}{path}"));
        return response.StatusCode;
    }
}
