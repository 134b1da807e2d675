using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The simulator's SubjectAccessReview policy changes at run time; tinymetrics follows once its cached answer
/// expires (a 2 s TTL here), both for bearer tokens sent straight to it (TokenReview'd by the simulator) and for
/// kubectl through the aggregation proxy. Before each change and after tinymetrics has followed it, several
/// requests in a row must all get the new answer: one that flips back counts as a failure.
/// </summary>
[ClassDataSource<PolicyCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class PolicyTests(PolicyCluster cluster)
{
    private const string User = "auditor";
    private const int InARow = 5;

    // The TTL plus what a slow machine may need per poll: a TLS handshake, a TokenReview and a SubjectAccessReview.
    private static readonly TimeSpan FollowLimit = PolicyCluster.AuthorizationCacheTtl + TimeSpan.FromSeconds(60);

    [Test]
    public async Task RevokeThenGrant_TinyMetricsFollowsOnceTheCachedAnswerExpires()
    {
        var token = await cluster.IssueTokenAsync(User, 600);
        var before = await CountAsync(token, HttpStatusCode.OK);

        await cluster.SetPolicyAsync(User, allowed: false);
        var (revokedAfter, body) = await WaitForStatusAsync(token, HttpStatusCode.Forbidden);
        var revoked = await CountAsync(token, HttpStatusCode.Forbidden);
        var kubectl = await KubectlAsUserAsync(token, "top", "nodes");
        await cluster.SetPolicyAsync(User, allowed: true);
        var (grantedAfter, _) = await WaitForStatusAsync(token, HttpStatusCode.OK);
        var granted = await CountAsync(token, HttpStatusCode.OK);

        await Assert.That(before).IsEmpty().Because(string.Join(", ", before));
        await Assert.That(revokedAfter).IsNotNull().Because($"still not Forbidden after {FollowLimit.TotalSeconds} s");
        await Assert.That(revoked).IsEmpty().Because(string.Join(", ", revoked));
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
        await Assert.That(grantedAfter).IsNotNull().Because($"still not allowed after {FollowLimit.TotalSeconds} s");
        await Assert.That(granted).IsEmpty().Because(string.Join(", ", granted));
    }

    // Polls until the status is reached; answers how long it took (null when FollowLimit passed) and the last body.
    private async Task<(TimeSpan? After, string Body)> WaitForStatusAsync(string token, HttpStatusCode wanted)
    {
        var since = Stopwatch.StartNew();
        var (status, body) = await GetNodesAsync(token);
        while (status != wanted)
        {
            if (since.Elapsed > FollowLimit)
                return (null, body);
            await Task.Delay(100);
            (status, body) = await GetNodesAsync(token);
        }
        return (since.Elapsed, body);
    }

    // InARow requests; answers every status that was not the expected one.
    private async Task<List<HttpStatusCode>> CountAsync(string token, HttpStatusCode expected)
    {
        var others = new List<HttpStatusCode>();
        for (var i = 0; i < InARow; i++)
        {
            var (status, _) = await GetNodesAsync(token);
            if (status != expected)
                others.Add(status);
        }
        return others;
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
