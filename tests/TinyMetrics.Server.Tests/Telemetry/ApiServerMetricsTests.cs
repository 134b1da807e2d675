using System.Net;
using TinyMetrics.Tests;

namespace TinyMetrics.Telemetry.Tests;

/// <summary>The request families as the real server records them: what counts, under which labels, and what does not.</summary>
public class ApiServerMetricsTests
{
    private const string Nodes = "/apis/metrics.k8s.io/v1beta1/nodes";
    private const string ResourceLabels = "component=\"apiserver\",dry_run=\"\",group=\"metrics.k8s.io\",resource=\"nodes\"";

    [Test]
    public async Task Server_Requests_CountedUnderUpstreamsLabels_401And403NotCounted()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");
        await Assert.That(await GetAsync(client, Nodes, "reader")).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await GetAsync(client, Nodes + "?watch=false", "reader")).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await GetAsync(client, Nodes + "/missing", "reader")).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(await GetAsync(client, Nodes, "unprivileged")).IsEqualTo(HttpStatusCode.Forbidden);
        using (var anonymous = server.Client(null))
        {
            await Assert.That(await GetAsync(anonymous, "/healthz/ping", null)).IsEqualTo(HttpStatusCode.OK);
            await Assert.That(await GetAsync(anonymous, "/healthz/no-such-check", null)).IsEqualTo(HttpStatusCode.NotFound);
            using var forged = new HttpRequestMessage(HttpMethod.Get, Nodes);
            forged.Headers.TryAddWithoutValidation("Authorization", "Bearer no-such-token");
            using var answer = await anonymous.SendAsync(forged);
            await Assert.That(answer.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        }

        var lines = await MetricsAsync(client);

        await Assert.That(lines).Contains($"apiserver_request_total{{code=\"200\",{ResourceLabels},scope=\"cluster\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\"}} 2");
        await Assert.That(lines).Contains($"apiserver_request_total{{code=\"404\",{ResourceLabels},scope=\"resource\",subresource=\"\",verb=\"GET\",version=\"v1beta1\"}} 1");
        await Assert.That(lines).Contains("apiserver_request_total{code=\"200\",component=\"\",dry_run=\"\",group=\"\",resource=\"\",scope=\"\",subresource=\"/healthz/ping\",verb=\"GET\",version=\"\"} 1");
        await Assert.That(lines.Any(l => l.StartsWith("apiserver_request_total{", StringComparison.Ordinal) && (l.Contains("code=\"401\"") || l.Contains("code=\"403\"") || l.Contains("no-such-check")))).IsFalse();
        await Assert.That(lines).Contains($"apiserver_request_duration_seconds_count{{{ResourceLabels},scope=\"cluster\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\"}} 2");
        await Assert.That(lines).Contains($"apiserver_request_duration_seconds_bucket{{{ResourceLabels},scope=\"cluster\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\",le=\"60\"}} 2");
        // An empty list is a short JSON body: both in the first bucket, with a positive byte sum.
        var sizeLabels = "component=\"apiserver\",group=\"metrics.k8s.io\",resource=\"nodes\",scope=\"cluster\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\"";
        await Assert.That(lines).Contains($"apiserver_response_sizes_bucket{{{sizeLabels},le=\"1000\"}} 2");
        var sizeSum = lines.Single(l => l.StartsWith($"apiserver_response_sizes_sum{{{sizeLabels}}} ", StringComparison.Ordinal));
        await Assert.That(double.Parse(sizeSum.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)).IsGreaterThan(100);
        await Assert.That(lines).Contains("apiserver_current_inflight_requests{request_kind=\"readOnly\"} 1");
        await Assert.That(lines).Contains("apiserver_current_inflight_requests{request_kind=\"mutating\"} 0");
    }

    [Test]
    public async Task Server_OwnKubernetesCalls_InRestClientFamilies()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");
        await Assert.That(await GetAsync(client, Nodes, "reader")).IsEqualTo(HttpStatusCode.OK);

        var lines = await MetricsAsync(client);
        var host = server.Api.Server.Authority;

        // The SubjectAccessReviews (POST, 201) and the ConfigMap read (GET, 200) at least.
        await Assert.That(lines.Any(l => l.StartsWith($"rest_client_requests_total{{code=\"201\",host=\"{host}\",method=\"POST\"}} ", StringComparison.Ordinal))).IsTrue();
        await Assert.That(lines.Any(l => l.StartsWith($"rest_client_requests_total{{code=\"200\",host=\"{host}\",method=\"GET\"}} ", StringComparison.Ordinal))).IsTrue();
        await Assert.That(lines.Any(l => l.StartsWith($"rest_client_request_duration_seconds_bucket{{host=\"{host}\",verb=\"POST\",le=\"60\"}} ", StringComparison.Ordinal))).IsTrue();
        await Assert.That(lines).Contains("# HELP rest_client_requests_total [ALPHA] Number of HTTP requests, partitioned by status code, method, and host.");
        await Assert.That(lines).Contains("# HELP rest_client_request_duration_seconds [ALPHA] Request latency in seconds. Broken down by verb, and host.");
    }

    [Test]
    public async Task WriteTo_Families_HaveUpstreamsStableHelpAndBuckets()
    {
        var metrics = new ApiServerMetrics();
        metrics.Record(new ApiRequestLabels("LIST", "", "metrics.k8s.io", "v1beta1", "pods", "", "namespace", "apiserver"), 200, 0.3, 5000);
        var output = new System.Text.StringBuilder();
        metrics.WriteTo(output, 0, 0);
        var lines = output.ToString().Split('\n');

        await Assert.That(lines).Contains("# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.");
        await Assert.That(lines).Contains("# HELP apiserver_request_duration_seconds [STABLE] Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.");
        await Assert.That(lines).Contains("# HELP apiserver_response_sizes [STABLE] Response size distribution in bytes for each group, version, verb, resource, subresource, scope and component.");
        await Assert.That(lines).Contains("# HELP apiserver_current_inflight_requests [STABLE] Maximal number of currently used inflight request limit of this apiserver per request kind in last second.");
        var durationBounds = lines.Where(l => l.StartsWith("apiserver_request_duration_seconds_bucket", StringComparison.Ordinal)).Select(l => l.Split("le=\"")[1].Split('"')[0]).ToArray();
        await Assert.That(durationBounds).IsEquivalentTo(new[] { "0.005", "0.025", "0.05", "0.1", "0.2", "0.4", "0.6", "0.8", "1", "1.25", "1.5", "2", "3", "4", "5", "6", "8", "10", "15", "20", "30", "45", "60", "+Inf" });
        var sizeBounds = lines.Where(l => l.StartsWith("apiserver_response_sizes_bucket", StringComparison.Ordinal)).Select(l => l.Split("le=\"")[1].Split('"')[0]).ToArray();
        await Assert.That(sizeBounds).IsEquivalentTo(new[] { "1000", "10000", "100000", "1000000", "10000000", "100000000", "1000000000", "+Inf" });
        await Assert.That(lines).Contains("apiserver_request_duration_seconds_bucket{component=\"apiserver\",dry_run=\"\",group=\"metrics.k8s.io\",resource=\"pods\",scope=\"namespace\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\",le=\"0.2\"} 0");
        await Assert.That(lines).Contains("apiserver_request_duration_seconds_bucket{component=\"apiserver\",dry_run=\"\",group=\"metrics.k8s.io\",resource=\"pods\",scope=\"namespace\",subresource=\"\",verb=\"LIST\",version=\"v1beta1\",le=\"0.4\"} 1");
    }

    internal static async Task<string[]> MetricsAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Remote-User", "reader");
        using var response = await client.SendAsync(request);
        return (await response.Content.ReadAsStringAsync()).Split('\n');
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string path, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
            request.Headers.Add("X-Remote-User", user);
        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }
}
