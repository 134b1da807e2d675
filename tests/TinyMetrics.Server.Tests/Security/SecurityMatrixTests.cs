using System.Net;
using System.Text.Json;
using TinyMetrics.Tests;

namespace TinyMetrics.Security.Tests;

/// <summary>
/// The authentication/authorization matrix against the real server over real TLS, with a fake
/// API server reviewing tokens and access (it denies system:anonymous and "unprivileged").
/// </summary>
[NotInParallel("in-process-server")]
public sealed class SecurityMatrixTests
{
    private const string Nodes = "/apis/metrics.k8s.io/v1beta1/nodes";

    private static async Task<(HttpStatusCode Code, string Body)> GetAsync(HttpClient client, string path, string? token = null,
        params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        foreach (var (name, value) in headers)
            request.Headers.Add(name, value);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Message(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("message").GetString()!;
    }

    [Test]
    public async Task Anonymous_NoCertificateNoToken_IsAuthorizedAsAnonymousAndDenied()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        var (code, body) = await GetAsync(client, Nodes);

        await Assert.That(code).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(Message(body)).IsEqualTo(
            "nodes.metrics.k8s.io is forbidden: User \"system:anonymous\" cannot list resource \"nodes\" in API group \"metrics.k8s.io\" at the cluster scope: fake denies");
        await Assert.That(server.Api.AccessReviewSpecs.Single()).Contains("\"groups\":[\"system:unauthenticated\"]");
    }

    [Test]
    public async Task SpoofedRemoteUser_FromOrdinaryClientCertificate_IsIgnoredAndTheCertificateUserIsAuthorized()
    {
        await using var server = await InProcessServer.StartAsync();
        server.Api.DeniedUsers["developer"] = true;
        using var client = server.Client("developer");

        var (code, body) = await GetAsync(client, Nodes + "/n1", null, ("X-Remote-User", "admin"), ("X-Remote-Group", "system:masters"));

        await Assert.That(code).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(Message(body)).StartsWith("nodes.metrics.k8s.io \"n1\" is forbidden: User \"developer\" cannot get resource \"nodes\"");
        var spec = server.Api.AccessReviewSpecs.Single();
        await Assert.That(spec).Contains("\"user\":\"developer\",\"groups\":[\"developers\",\"system:authenticated\"]");
    }

    [Test]
    public async Task ClientCertificate_FromClientCa_IsServedWhenAuthorized()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("developer");

        var (code, body) = await GetAsync(client, Nodes);

        await Assert.That(code).IsEqualTo(HttpStatusCode.OK).Because(body);
        await Assert.That(body).Contains("\"kind\":\"NodeMetricsList\"");
    }

    [Test]
    [Arguments("alice", HttpStatusCode.OK)]
    [Arguments("unprivileged", HttpStatusCode.Forbidden)]
    public async Task AllowedProxy_UserWithoutMastersGroup_IsDecidedBySubjectAccessReview(string user, HttpStatusCode expected)
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client("proxy");

        var (code, body) = await GetAsync(client, "/apis/metrics.k8s.io/v1beta1/namespaces/ns1/pods", null,
            ("X-Remote-User", user), ("X-Remote-Group", "team"), ("X-Remote-Extra-Scopes", "read"));

        await Assert.That(code).IsEqualTo(expected).Because(body);
        var spec = server.Api.AccessReviewSpecs.Single();
        await Assert.That(spec).IsEqualTo("{\"resourceAttributes\":{\"namespace\":\"ns1\",\"verb\":\"list\",\"group\":\"metrics.k8s.io\",\"version\":\"v1beta1\",\"resource\":\"pods\"},"
            + $"\"user\":\"{user}\",\"groups\":[\"team\",\"system:authenticated\"],\"extra\":{{\"scopes\":[\"read\"]}}}}");
    }

    [Test]
    [Arguments(true, "\"user\":\"alice\",\"uid\":\"7f3c-uid\",")]
    [Arguments(false, "\"user\":\"alice\",\"groups\"")]
    public async Task AllowedProxy_UidHeader_IsSentToTheReviewOnlyWhenConfigured(bool configured, string expected)
    {
        await using var server = configured
            ? await InProcessServer.StartAsync("--requestheader-uid-headers=X-Remote-Uid")
            : await InProcessServer.StartAsync();
        using var client = server.Client("proxy");

        var (code, body) = await GetAsync(client, Nodes, null, ("X-Remote-User", "alice"), ("X-Remote-Uid", "7f3c-uid"));

        await Assert.That(code).IsEqualTo(HttpStatusCode.OK).Because(body);
        await Assert.That(server.Api.AccessReviewSpecs.Single()).Contains(expected);
    }

    [Test]
    [Arguments("reader-token", HttpStatusCode.OK)]
    [Arguments("admin-token", HttpStatusCode.OK)]
    [Arguments("unprivileged-token", HttpStatusCode.Forbidden)]
    [Arguments("not-a-token", HttpStatusCode.Unauthorized)]
    public async Task BearerToken_ReviewedThenAuthorized(string token, HttpStatusCode expected)
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        var (code, body) = await GetAsync(client, Nodes, token);

        await Assert.That(code).IsEqualTo(expected).Because(body);
        using var json = JsonDocument.Parse(body);
        await Assert.That(json.RootElement.GetProperty("kind").GetString()).IsEqualTo(expected == HttpStatusCode.OK ? "NodeMetricsList" : "Status");
    }

    [Test]
    public async Task BearerToken_ReviewCallFails_Is401AndAccessReviewCallFails_Is500()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);
        server.Api.FailReviews = true;

        var (tokenCode, tokenBody) = await GetAsync(client, Nodes, "reader-token");
        var (accessCode, accessBody) = await GetAsync(client, Nodes);

        await Assert.That(tokenCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(Message(tokenBody)).IsEqualTo("Unauthorized");
        await Assert.That(accessCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(Message(accessBody)).IsEqualTo("Internal error occurred: authorizer error");
    }

    [Test]
    public async Task Metrics_WithAndWithoutRights()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        var (anonymousCode, anonymousBody) = await GetAsync(client, "/metrics");
        var (readerCode, readerBody) = await GetAsync(client, "/metrics", "reader-token");

        await Assert.That(anonymousCode).IsEqualTo(HttpStatusCode.Forbidden);
        await Assert.That(Message(anonymousBody)).IsEqualTo("forbidden: User \"system:anonymous\" cannot get path \"/metrics\": fake denies");
        await Assert.That(readerCode).IsEqualTo(HttpStatusCode.OK);
        // The exposition itself, not an error page that happens to contain "# TYPE ": upstream's
        // families with their types, and every sample line in the text format's shape.
        await Assert.That(readerBody).Contains("# TYPE metrics_server_storage_points gauge\n");
        await Assert.That(readerBody).Contains("# TYPE metrics_server_manager_tick_duration_seconds histogram\n");
        await Assert.That(readerBody).Contains("# TYPE process_start_time_seconds gauge\n");
        foreach (var line in readerBody.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            await Assert.That(line).Matches(SampleLine);
    }

    // A comment, or `name{label="value",...} value` with a Prometheus-parsable float.
    private static readonly System.Text.RegularExpressions.Regex SampleLine = new(
        """^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN))$""");

    [Test]
    public async Task HealthPaths_WithoutCredentials_SkipReviews()
    {
        await using var server = await InProcessServer.StartAsync();
        using var client = server.Client(null);

        var (_, healthz) = await GetAsync(client, "/healthz");
        var (_, readyz) = await GetAsync(client, "/readyz");
        var (livezWithBadToken, _) = await GetAsync(client, "/livez", "not-a-token");

        // Without an API server to list from, the checks fail (500), but they are answered, not refused.
        await Assert.That(healthz).EndsWith("healthz check failed\n");
        await Assert.That(readyz).EndsWith("readyz check failed\n");
        await Assert.That(server.Api.AccessReviews).IsEqualTo(0);
        // As upstream, authentication runs before the path authorizer: a rejected token is 401 even here.
        await Assert.That(livezWithBadToken).IsEqualTo(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task AlwaysAllowPathsFlag_ReplacesTheDefaultList()
    {
        await using var server = await InProcessServer.StartAsync("--authorization-always-allow-paths=/metrics");
        using var client = server.Client(null);

        var (metrics, _) = await GetAsync(client, "/metrics");
        var (healthz, _) = await GetAsync(client, "/healthz", "not-a-token");

        await Assert.That(metrics).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(healthz).IsEqualTo(HttpStatusCode.Unauthorized);
    }
}
