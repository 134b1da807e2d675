using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Http;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

/// <summary>The SubjectAccessReview authorizer against a fake API server whose policy and call count the tests control.</summary>
public sealed class SubjectAccessReviewAuthorizerTests : IAsyncDisposable
{
    private static readonly RequestAttributes s_listNodes = new(true, "list", "/apis/metrics.k8s.io/v1beta1/nodes", "metrics.k8s.io", "v1beta1", "nodes");
    private static readonly RequestUser s_alice = new("alice", ["devs", RequestUser.AuthenticatedGroup], []);

    private readonly OpenSslCertificates _certs = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeKubeApi? _api;
    private KubeReviewClient? _client;

    private async Task<SubjectAccessReviewAuthorizer> AuthorizerAsync(int allowedSeconds = 10, int deniedSeconds = 5)
    {
        _api = await FakeKubeApi.StartAsync(_certs);
        _client = new KubeReviewClient(KubeConnection.Load(_api.WriteKubeconfig(), TimeProvider.System));
        return new SubjectAccessReviewAuthorizer(_client, TimeSpan.FromSeconds(allowedSeconds), TimeSpan.FromSeconds(deniedSeconds), _time, NullLogger.Instance);
    }

    [Test]
    public async Task Authorize_AllowedTwiceWithinTtl_AsksOnce()
    {
        var authorizer = await AuthorizerAsync();

        var first = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        _time.Advance(TimeSpan.FromSeconds(9));
        var second = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);

        await Assert.That(first.Allowed).IsTrue();
        await Assert.That(second.Allowed).IsTrue();
        await Assert.That(_api!.AccessReviews).IsEqualTo(1);
    }

    [Test]
    public async Task Authorize_DeniedTwiceWithinTtl_AsksOnceAndKeepsReason()
    {
        var authorizer = await AuthorizerAsync();
        _api!.DeniedUsers["alice"] = true;

        var first = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        _time.Advance(TimeSpan.FromSeconds(4));
        var second = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);

        await Assert.That(first).IsEqualTo(new AuthorizationDecision(false, "fake denies"));
        await Assert.That(second).IsEqualTo(first);
        await Assert.That(_api.AccessReviews).IsEqualTo(1);
    }

    [Test]
    public async Task Authorize_AfterAuthorizedTtl_AsksAgainAndSeesRevocation()
    {
        var authorizer = await AuthorizerAsync(allowedSeconds: 10);
        await Assert.That((await authorizer.AuthorizeAsync(s_alice, s_listNodes, default)).Allowed).IsTrue();

        _api!.DeniedUsers["alice"] = true;
        _time.Advance(TimeSpan.FromSeconds(9));
        var stillCached = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        _time.Advance(TimeSpan.FromSeconds(1));
        var revoked = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);

        await Assert.That(stillCached.Allowed).IsTrue();
        await Assert.That(revoked.Allowed).IsFalse();
        await Assert.That(_api.AccessReviews).IsEqualTo(2);
    }

    [Test]
    public async Task Authorize_AfterUnauthorizedTtl_AsksAgainAndSeesGrant()
    {
        var authorizer = await AuthorizerAsync(allowedSeconds: 10, deniedSeconds: 2);
        _api!.DeniedUsers["alice"] = true;
        await Assert.That((await authorizer.AuthorizeAsync(s_alice, s_listNodes, default)).Allowed).IsFalse();

        _api.DeniedUsers.TryRemove("alice", out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var stillDenied = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        _time.Advance(TimeSpan.FromSeconds(1));
        var granted = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);

        await Assert.That(stillDenied.Allowed).IsFalse();
        await Assert.That(granted.Allowed).IsTrue();
        await Assert.That(_api.AccessReviews).IsEqualTo(2);
    }

    [Test]
    public async Task Authorize_DifferentGroupsExtraOrAttributes_AreSeparateCacheEntries()
    {
        var authorizer = await AuthorizerAsync();

        await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        await authorizer.AuthorizeAsync(s_alice with { Groups = ["devs"] }, s_listNodes, default);
        await authorizer.AuthorizeAsync(s_alice with { Extra = [new("scopes", ["a"])] }, s_listNodes, default);
        await authorizer.AuthorizeAsync(s_alice, s_listNodes with { Verb = "get", Name = "n1" }, default);
        await authorizer.AuthorizeAsync(s_alice, s_listNodes with { Namespace = "ns" }, default);
        await authorizer.AuthorizeAsync(s_alice with { Uid = "uid-2" }, s_listNodes, default);

        await Assert.That(_api!.AccessReviews).IsEqualTo(6);
    }

    [Test]
    public async Task Authorize_SystemMasters_AllowedWithoutReview()
    {
        var authorizer = await AuthorizerAsync();

        var decision = await authorizer.AuthorizeAsync(new RequestUser("root", ["system:masters"], []), s_listNodes, default);

        await Assert.That(decision.Allowed).IsTrue();
        await Assert.That(_api!.AccessReviews).IsEqualTo(0);
    }

    [Test]
    public async Task Authorize_ReviewFails_IsErrorAndNotCached()
    {
        var authorizer = await AuthorizerAsync();
        _api!.FailReviews = true;

        var failed = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);
        _api.FailReviews = false;
        var next = await authorizer.AuthorizeAsync(s_alice, s_listNodes, default);

        await Assert.That(failed).IsEqualTo(new AuthorizationDecision(false, null, Error: true));
        await Assert.That(next.Allowed).IsTrue();
        await Assert.That(_api.AccessReviews).IsEqualTo(2);
    }

    [Test]
    public async Task Authorize_ResourceRequest_SendsUpstreamAttributes()
    {
        var authorizer = await AuthorizerAsync();
        var user = new RequestUser("alice", ["devs"], [new("scopes", ["s1", "s2"])]);

        await authorizer.AuthorizeAsync(user, new RequestAttributes(true, "get", "/apis/metrics.k8s.io/v1/namespaces/ns1/pods/p1",
            "metrics.k8s.io", "v1", "pods", "", "ns1", "p1"), default);

        _api!.AccessReviewSpecs.TryDequeue(out var spec);
        await Assert.That(spec).IsEqualTo("""{"resourceAttributes":{"namespace":"ns1","verb":"get","group":"metrics.k8s.io","version":"v1","resource":"pods","name":"p1"},"user":"alice","groups":["devs"],"extra":{"scopes":["s1","s2"]}}""");
    }

    [Test]
    public async Task Authorize_NonResourceRequest_SendsPathAndVerb()
    {
        var authorizer = await AuthorizerAsync();

        await authorizer.AuthorizeAsync(new RequestUser("alice", [], []), new RequestAttributes(false, "get", "/metrics"), default);

        _api!.AccessReviewSpecs.TryDequeue(out var spec);
        using var json = JsonDocument.Parse(spec!);
        await Assert.That(json.RootElement.GetProperty("nonResourceAttributes").GetRawText()).IsEqualTo("""{"path":"/metrics","verb":"get"}""");
        await Assert.That(json.RootElement.TryGetProperty("resourceAttributes", out _)).IsFalse();
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
            await _api.DisposeAsync();
        _certs.Dispose();
    }
}
