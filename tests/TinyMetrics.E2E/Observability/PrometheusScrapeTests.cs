using TinyMetrics.E2E.Infrastructure;
using TinyMetrics.Simulator.Api;

namespace TinyMetrics.E2E.Observability;

/// <summary>
/// A real Prometheus scrapes the AOT binary's /metrics over TLS, verifying the serving certificate against the CA
/// that signed it: with a bearer token TokenReview and SubjectAccessReview accept, and anonymously from a server
/// with <c>--authorization-always-allow-paths=/metrics</c>, both up; a bad token (401), a token whose user is denied
/// (403), no token where authorization applies (403) and a CA that did not sign the certificate, all down with that
/// error. Its HTTP API then holds upstream's series as Prometheus stored them.
/// </summary>
[ClassDataSource<PrometheusCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class PrometheusScrapeTests(PrometheusCluster cluster)
{
    private const string Token = "token";
    private const string AllowPaths = "always-allow-paths";
    private const string BadToken = "bad-token";
    private const string Forbidden = "forbidden";
    private const string Anonymous = "anonymous";
    private const string WrongCa = "wrong-ca";

    // Prometheus' start, then a few 1 s scrapes of each job, with room for a loaded machine.
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Prometheus_ScrapesMetricsOverTls_UpWithTokenOrAllowedPath_DownWhenRejected()
    {
        Skip.When(cluster.PrometheusBinary is null, PrometheusServer.SkipReason);
        var token = await cluster.IssueTokenAsync("prometheus", 600);
        var tokenTarget = $"{PrometheusCluster.TokenHost}:{cluster.ServerPort}";
        await using var prometheus = await PrometheusServer.StartAsync(cluster.PrometheusBinary!, Path.Combine(cluster.Directory, "prometheus"),
            PrometheusCluster.PrometheusHost, [
                new(Token, tokenTarget, cluster.TokenServerCa, token),
                new(AllowPaths, $"{PrometheusCluster.AllowPathsHost}:{cluster.AllowPathsPort}", cluster.AllowPathsServerCa, null),
                new(BadToken, tokenTarget, cluster.TokenServerCa, "not-a-token"),
                new(Forbidden, tokenTarget, cluster.TokenServerCa, TokenAuthenticator.UnprivilegedToken),
                new(Anonymous, tokenTarget, cluster.TokenServerCa, null),
                new(WrongCa, tokenTarget, cluster.AllowPathsServerCa, token),
            ]);

        var seen = await WaitUntilSettledAsync(prometheus);

        await Assert.That(seen.Settled).IsTrue().Because(seen.Describe() + "\nprometheus:\n" + prometheus.Process.Tail(20));
        await Assert.That(seen.Targets[Token].ScrapeUrl).IsEqualTo($"https://{tokenTarget}/metrics");
        await Assert.That(seen.Targets[Token].LastError).IsEmpty();
        await Assert.That(seen.Targets[AllowPaths].LastError).IsEmpty();
        await Assert.That(seen.Up[Token]).IsEqualTo(1);
        await Assert.That(seen.Up[AllowPaths]).IsEqualTo(1);
        await Assert.That(seen.Targets[BadToken].LastError).Contains("401 Unauthorized");
        await Assert.That(seen.Targets[Forbidden].LastError).Contains("403 Forbidden");
        await Assert.That(seen.Targets[Anonymous].LastError).Contains("403 Forbidden");
        await Assert.That(seen.Targets[WrongCa].LastError).Contains("x509");
        foreach (var job in new[] { BadToken, Forbidden, Anonymous, WrongCa })
            await Assert.That(seen.Up[job]).IsEqualTo(0).Because(job);
        foreach (var job in new[] { Token, AllowPaths })
        {
            await Assert.That(seen.KubeletRequests.GetValueOrDefault(job)).IsGreaterThanOrEqualTo(PrometheusCluster.Nodes).Because(job);
            await Assert.That(seen.ResidentMemory.GetValueOrDefault(job)).IsGreaterThan(0).Because(job);
        }
        // Upstream's counter has one label, success: the series carry it, the job and the instance, nothing else.
        await Assert.That(seen.KubeletRequestLabels).IsNotEmpty();
        foreach (var labels in seen.KubeletRequestLabels)
            await Assert.That(labels).IsEqualTo("__name__,instance,job,success");
        // The cluster counted as up once kubectl listed every node through the aggregation proxy.
        await Assert.That(seen.NodeLists).IsGreaterThanOrEqualTo(1);
    }

    private static async Task<Observation> WaitUntilSettledAsync(PrometheusServer prometheus)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        var seen = await ObserveAsync(prometheus);
        while (!seen.Settled && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            seen = await ObserveAsync(prometheus);
        }
        return seen;
    }

    private static async Task<Observation> ObserveAsync(PrometheusServer prometheus)
    {
        var targets = new Dictionary<string, (string Health, string LastError, string ScrapeUrl)>(StringComparer.Ordinal);
        foreach (var (job, health, lastError, scrapeUrl) in await prometheus.TargetsAsync())
            targets[job] = (health, lastError, scrapeUrl);
        var kubeletLabels = new List<string>();
        foreach (var (labels, _) in await prometheus.QueryAsync("metrics_server_kubelet_request_total"))
            kubeletLabels.Add(string.Join(',', labels.Keys.Order(StringComparer.Ordinal)));
        var nodeLists = await prometheus.QueryAsync($"sum(apiserver_request_total{{job=\"{Token}\",verb=\"LIST\",resource=\"nodes\",code=\"200\"}})");
        return new Observation(
            targets,
            ByJob(await prometheus.QueryAsync("up")),
            ByJob(await prometheus.QueryAsync("sum by (job) (metrics_server_kubelet_request_total{success=\"true\"})")),
            ByJob(await prometheus.QueryAsync("process_resident_memory_bytes")),
            kubeletLabels,
            nodeLists.Count == 1 ? nodeLists[0].Value : 0);
    }

    private static Dictionary<string, double> ByJob(IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> series)
    {
        var byJob = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (labels, value) in series)
            byJob[labels["job"]] = value;
        return byJob;
    }

    private sealed record Observation(
        Dictionary<string, (string Health, string LastError, string ScrapeUrl)> Targets,
        Dictionary<string, double> Up,
        Dictionary<string, double> KubeletRequests,
        Dictionary<string, double> ResidentMemory,
        List<string> KubeletRequestLabels,
        double NodeLists)
    {
        private static readonly string[] UpJobs = [Token, AllowPaths];
        private static readonly string[] DownJobs = [BadToken, Forbidden, Anonymous, WrongCa];

        // Every job scraped at least once with the outcome it is meant to have, and the up jobs' series stored.
        public bool Settled =>
            UpJobs.All(job => Targets.TryGetValue(job, out var t) && t.Health == "up" && Up.GetValueOrDefault(job) == 1
                && KubeletRequests.GetValueOrDefault(job) >= PrometheusCluster.Nodes && ResidentMemory.GetValueOrDefault(job) > 0)
            && DownJobs.All(job => Targets.TryGetValue(job, out var t) && t.Health == "down" && t.LastError.Length > 0 && Up.ContainsKey(job))
            && NodeLists >= 1;

        public string Describe() =>
            string.Join("\n", Targets.Select(t => $"{t.Key}: {t.Value.Health} {t.Value.ScrapeUrl} {t.Value.LastError}"))
            + $"\nup: {string.Join(", ", Up.Select(u => $"{u.Key}={u.Value}"))}"
            + $"\nkubelet requests: {string.Join(", ", KubeletRequests.Select(u => $"{u.Key}={u.Value}"))}; node lists: {NodeLists}";
    }
}
