using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

/// <summary>Bearer tokens by TokenReview against a fake API server, with the token cache on a fake clock.</summary>
public sealed class TokenReviewAuthenticatorTests : IAsyncDisposable
{
    private readonly OpenSslCertificates _certs = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeKubeApi? _api;
    private KubeReviewClient? _client;

    private async Task<TokenReviewAuthenticator> AuthenticatorAsync(int ttlSeconds = 10)
    {
        _api = await FakeKubeApi.StartAsync(_certs);
        _client = new KubeReviewClient(KubeConnection.Load(_api.WriteKubeconfig(), TimeProvider.System));
        return new TokenReviewAuthenticator(_client, TimeSpan.FromSeconds(ttlSeconds), _time, NullLogger.Instance);
    }

    private static HttpContext Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
            context.Request.Headers.Authorization = authorization;
        return context;
    }

    [Test]
    public async Task Authenticate_ValidToken_IsTheReviewedUser()
    {
        var authenticator = await AuthenticatorAsync();

        var result = await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);

        await Assert.That(result.User!.Name).IsEqualTo("reader");
        await Assert.That(result.User.Uid).IsEqualTo("uid-reader");
        await Assert.That(result.User.Groups).IsEquivalentTo(["readers"]);
        await Assert.That(result.Failure).IsNull();
    }

    [Test]
    [Arguments("Bearer nobody-knows-me")]
    [Arguments("bearer nobody-knows-me")]
    public async Task Authenticate_InvalidToken_Fails(string header)
    {
        var authenticator = await AuthenticatorAsync();

        var result = await authenticator.AuthenticateAsync(Request(header), default);

        await Assert.That(result.User).IsNull();
        await Assert.That(result.Failure).IsNotNull();
    }

    [Test]
    [Arguments(null)]
    [Arguments("Basic dXNlcjpwYXNz")]
    [Arguments("Bearer")]
    [Arguments("Bearer ")]
    // Upstream splits on single spaces: a tab is no separator, two spaces leave an empty token (no credential).
    [Arguments("Bearer\treader-token")]
    [Arguments("Bearer  reader-token")]
    public async Task Authenticate_NoBearerToken_NotApplicableWithoutReview(string? header)
    {
        var authenticator = await AuthenticatorAsync();

        var result = await authenticator.AuthenticateAsync(Request(header), default);

        await Assert.That(result).IsEqualTo(AuthenticationResult.NotApplicable);
        await Assert.That(_api!.TokenReviews).IsEqualTo(0);
    }

    [Test]
    [Arguments("Bearer reader-token", "Bearer wrong", true)]
    [Arguments("Bearer wrong", "Bearer reader-token", false)]
    [Arguments("Basic dXNlcjpwYXNz", "Bearer reader-token", false)]
    public async Task Authenticate_TwoAuthorizationHeaders_OnlyTheFirstCounts(string first, string second, bool authenticated)
    {
        var authenticator = await AuthenticatorAsync();
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues([first, second]);

        var result = await authenticator.AuthenticateAsync(context, default);

        await Assert.That(result.User is not null).IsEqualTo(authenticated);
    }

    [Test]
    public async Task Authenticate_SameTokenWithinTtl_ReviewedOnceThenAgainAfterTtl()
    {
        var authenticator = await AuthenticatorAsync(ttlSeconds: 10);

        await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);
        _time.Advance(TimeSpan.FromSeconds(9));
        await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);
        var reviewsWithinTtl = _api!.TokenReviews;
        _api.Tokens.TryRemove("reader-token", out _);
        _time.Advance(TimeSpan.FromSeconds(1));
        var expired = await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);

        await Assert.That(reviewsWithinTtl).IsEqualTo(1);
        await Assert.That(expired.User).IsNull();
        await Assert.That(_api.TokenReviews).IsEqualTo(2);
    }

    [Test]
    public async Task Authenticate_RejectedToken_IsCachedForTheTtl()
    {
        var authenticator = await AuthenticatorAsync();

        await authenticator.AuthenticateAsync(Request("Bearer wrong"), default);
        var again = await authenticator.AuthenticateAsync(Request("Bearer wrong"), default);

        await Assert.That(again.Failure).IsNotNull();
        await Assert.That(_api!.TokenReviews).IsEqualTo(1);
    }

    [Test]
    public async Task Authenticate_ReviewCallFails_FailsAndIsNotCached()
    {
        var authenticator = await AuthenticatorAsync();
        _api!.FailReviews = true;

        var failed = await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);
        _api.FailReviews = false;
        var next = await authenticator.AuthenticateAsync(Request("Bearer reader-token"), default);

        await Assert.That(failed.Failure).IsEqualTo("token review failed");
        await Assert.That(next.User!.Name).IsEqualTo("reader");
        await Assert.That(_api.TokenReviews).IsEqualTo(2);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
            await _api.DisposeAsync();
        _certs.Dispose();
    }
}
