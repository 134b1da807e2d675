using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The simulator's SubjectAccessReview policy changes at run time; tinymetrics follows within its authorization
/// cache TTL (2 s here), both for bearer tokens sent straight to it (TokenReview'd by the simulator) and for
/// kubectl through the aggregation proxy.
/// </summary>
[ClassDataSource<PolicyCluster>(Shared = SharedType.PerClass)]
[NotInParallel("kubectl")]
public sealed class PolicyTests(PolicyCluster cluster)
{
    private const string User = "auditor";
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Test]
    public async Task RevokeThenGrant_TinyMetricsFollowsWithinTheAuthorizationCacheTtl()
    {
        var token = await cluster.IssueTokenAsync(User, 600);
        var (before, _) = await GetNodesAsync(token);

        await cluster.SetPolicyAsync(User, allowed: false);
        var (revoked, revokedAfter, body) = await WaitForStatusAsync(token, HttpStatusCode.Forbidden);
        var kubectl = await KubectlAsUserAsync(token, "top", "nodes");
        await cluster.SetPolicyAsync(User, allowed: true);
        var (granted, grantedAfter, _) = await WaitForStatusAsync(token, HttpStatusCode.OK);

        await Assert.That(before).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(revoked).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(revokedAfter).IsLessThanOrEqualTo(PolicyCluster.AuthorizationCacheTtl + Slack);
        using (var status = JsonDocument.Parse(body))
        {
            await Assert.That(status.RootElement.GetProperty("kind").GetString()).IsEqualTo("Status");
            await Assert.That(status.RootElement.GetProperty("reason").GetString()).IsEqualTo("Forbidden");
            await Assert.That(status.RootElement.GetProperty("code").GetInt32()).IsEqualTo(403);
            await Assert.That(status.RootElement.GetProperty("message").GetString()).Contains($"\"{User}\"");
        }
        await Assert.That(kubectl.ExitCode).IsNotEqualTo(0);
        await Assert.That(kubectl.Output).Contains("Forbidden").Because(kubectl.Output);
        await Assert.That(kubectl.Output).Contains(User);
        await Assert.That(granted).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(grantedAfter).IsLessThanOrEqualTo(PolicyCluster.AuthorizationCacheTtl + Slack);
    }

    // Polls until the status is reached or TTL + slack has passed; answers the last status, when it came, and its body.
    private async Task<(HttpStatusCode Status, TimeSpan After, string Body)> WaitForStatusAsync(string token, HttpStatusCode wanted)
    {
        var since = Stopwatch.StartNew();
        var (status, body) = await GetNodesAsync(token);
        while (status != wanted && since.Elapsed < PolicyCluster.AuthorizationCacheTtl + Slack)
        {
            await Task.Delay(100);
            (status, body) = await GetNodesAsync(token);
        }
        return (status, since.Elapsed, body);
    }

    private async Task<(HttpStatusCode Status, string Body)> GetNodesAsync(string token)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{cluster.ServerPort}/apis/metrics.k8s.io/v1beta1/nodes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // kubectl with a kubeconfig of the user's own, beside the admin's: the same cluster, another token.
    private async Task<CommandResult> KubectlAsUserAsync(string token, params string[] args)
    {
        var path = Path.Combine(cluster.Directory, User + ".kubeconfig");
        var admin = await File.ReadAllTextAsync(cluster.KubectlConfig);
        if (!admin.Contains("token: admin-token", StringComparison.Ordinal))
            throw new InvalidDataException("kubectl.kubeconfig has no admin token line to replace:\n" + admin);
        await File.WriteAllTextAsync(path, admin.Replace("token: admin-token", "token: " + token, StringComparison.Ordinal));
        return await new Infrastructure.Kubectl(Infrastructure.Kubectl.Locate(), path).RunAsync(args);
    }
}
