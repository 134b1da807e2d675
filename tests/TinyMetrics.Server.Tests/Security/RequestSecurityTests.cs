using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Configuration;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

/// <summary>The middleware alone: what reaches the next handler, and what is logged about refused requests.</summary>
public sealed class RequestSecurityTests : IAsyncDisposable
{
    private readonly OpenSslCertificates _certs = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLogger _logger = new();
    private FakeKubeApi? _api;
    private KubeReviewClient? _client;
    private AuthenticationConfigSource? _source;
    private int _served;

    private async Task<RequestSecurity> SecurityAsync()
    {
        _certs.CreateCa("front-proxy-ca");
        _api = await FakeKubeApi.StartAsync(_certs);
        _client = new KubeReviewClient(KubeConnection.Load(_api.WriteKubeconfig(), TimeProvider.System));
        var options = FlagParser.Parse(["--authentication-skip-lookup", $"--requestheader-client-ca-file={_certs.PathOf("front-proxy-ca.crt")}"]).Options!;
        _source = AuthenticationConfigSource.Start(options, null, _time, TimeSpan.FromSeconds(5), _logger);
        var authorizer = new SubjectAccessReviewAuthorizer(_client, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), _time, _logger);
        RequestDelegate next = _ =>
        {
            Interlocked.Increment(ref _served);
            return Task.CompletedTask;
        };
        var authentication = new AuthenticationChain(_source, new TokenReviewAuthenticator(_client, TimeSpan.FromSeconds(10), _time, _logger), _time, _logger);
        return new RequestSecurity(next, new AlwaysAllowPaths(["/healthz"]), authentication, authorizer, new MaxInFlightLimit(400, 200), _logger);
    }

    private static DefaultHttpContext Request(string path, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        foreach (var (name, value) in headers)
            context.Request.Headers.Append(name, value);
        return context;
    }

    [Test]
    public async Task Invoke_SpoofedRemoteHeadersWithoutProxyCertificate_IgnoredAndLoggedWithoutValues()
    {
        var security = await SecurityAsync();
        var context = Request("/apis/metrics.k8s.io/v1beta1/nodes",
            ("X-Remote-User", "spoofed-admin"), ("X-Remote-Group", "spoofed-masters"), ("X-Remote-Extra-Scope", "spoofed-extra"));

        await security.InvokeAsync(context);

        await Assert.That(context.Response.StatusCode).IsEqualTo(403);
        await Assert.That(_served).IsEqualTo(0);
        await Assert.That(_api!.AccessReviewSpecs.Single()).Contains("\"user\":\"system:anonymous\"");
        var log = string.Join('\n', _logger.Lines);
        await Assert.That(log).Contains("Ignored front-proxy headers from an untrusted client");
        await Assert.That(log).DoesNotContain("spoofed");
    }

    [Test]
    public async Task Invoke_BearerToken_NeverLogged()
    {
        var security = await SecurityAsync();
        _api!.FailReviews = true;

        var failed = Request("/metrics", ("Authorization", "Bearer secret-token-value"));
        await security.InvokeAsync(failed);
        _api.FailReviews = false;
        var rejected = Request("/metrics", ("Authorization", "Bearer another-secret-value"));
        await security.InvokeAsync(rejected);

        await Assert.That(failed.Response.StatusCode).IsEqualTo(401);
        await Assert.That(rejected.Response.StatusCode).IsEqualTo(401);
        var log = string.Join('\n', _logger.Lines);
        await Assert.That(log).Contains("Unable to authenticate the request");
        await Assert.That(log).DoesNotContain("secret");
    }

    [Test]
    public async Task Invoke_AuthorizedToken_ReachesNextWithTheUser()
    {
        var security = await SecurityAsync();
        var context = Request("/apis/metrics.k8s.io/v1beta1/nodes", ("Authorization", "Bearer reader-token"));

        await security.InvokeAsync(context);

        await Assert.That(_served).IsEqualTo(1);
        await Assert.That(context.Features.Get<RequestUser>()!.Groups).IsEquivalentTo(["readers", RequestUser.AuthenticatedGroup]);
    }

    [Test]
    public async Task Invoke_AlwaysAllowedPathAnonymous_ReachesNextWithoutAnyReview()
    {
        var security = await SecurityAsync();

        await security.InvokeAsync(Request("/healthz"));

        await Assert.That(_served).IsEqualTo(1);
        await Assert.That(_api!.TokenReviews + _api.AccessReviews).IsEqualTo(0);
        // No credentials is no authentication error: upstream's filter logs nothing for it.
        await Assert.That(string.Join('\n', _logger.Lines)).DoesNotContain("Unable to authenticate");
    }

    [Test]
    public async Task Invoke_AlwaysAllowedPathWithARejectedToken_IsUnauthorizedWithoutAnAccessReview()
    {
        var security = await SecurityAsync();
        var context = Request("/healthz", ("Authorization", "Bearer not-a-token"));

        await security.InvokeAsync(context);

        // Upstream authenticates before its path authorizer: a bad credential is never downgraded to anonymous.
        await Assert.That(_served).IsEqualTo(0);
        await Assert.That(context.Response.StatusCode).IsEqualTo(401);
        await Assert.That(_api!.TokenReviews).IsEqualTo(1);
        await Assert.That(_api.AccessReviews).IsEqualTo(0);
        await Assert.That(_logger.Lines).Contains(line => line.StartsWith("6009 Error Unable to authenticate the request", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _source?.Dispose();
        _client?.Dispose();
        if (_api is not null)
            await _api.DisposeAsync();
        _certs.Dispose();
    }
}
