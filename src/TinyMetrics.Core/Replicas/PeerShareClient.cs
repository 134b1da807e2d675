using System.Net;
using System.Net.Http.Headers;
using TinyMetrics.Kube;
using TinyMetrics.Scraping;

namespace TinyMetrics.Replicas;

/// <summary>
/// GETs a peer's share over HTTPS with this pod's service-account token (the peer authenticates it through
/// TokenReview and authorizes it with a SubjectAccessReview on <see cref="PeerShare.Path"/>, as any request),
/// verifying the peer's serving certificate against the given CA (and name, when one is set). One kept-alive
/// connection per peer. Every outcome is a value; only cancellation by the caller's token throws.
/// </summary>
public sealed class PeerShareClient : IPeerShareFetcher, IDisposable
{
    /// <summary>A share is every owned node's points: ~6 KiB per node at 30 pods, so this bounds ~40,000 nodes.</summary>
    public const int MaxShareBytes = 256 * 1024 * 1024;

    private readonly HttpMessageInvoker _invoker;
    private readonly IBearerTokenSource? _token;

    public PeerShareClient(TlsSettings tls, IBearerTokenSource? token, TimeSpan connectTimeout)
    {
        _token = token;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = connectTimeout,
        };
        tls.Apply(handler.SslOptions);
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    public async Task<PeerFetch> FetchAsync(ReplicaEndpoint peer, CancellationToken cancellationToken)
    {
        var url = new Uri(peer.BaseUri, PeerShare.Path);
        PooledBody? body = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (_token is not null && await _token.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return PeerFetch.Failed(PeerFetchResult.Status, $"status {(int)response.StatusCode} {response.ReasonPhrase}");
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                body = new PooledBody(response.Content.Headers.ContentLength);
                if (!await body.ReadFromAsync(stream, MaxShareBytes, cancellationToken).ConfigureAwait(false))
                    return PeerFetch.Failed(PeerFetchResult.Invalid, "share too large");
            }
            var fetched = new PeerFetch(PeerFetchResult.Ok, null, body);
            body = null;
            return fetched;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return PeerFetch.Failed(PeerFetchResult.Timeout, "peer share deadline exceeded");
        }
        catch (Exception ex)
        {
            return PeerFetch.Failed(PeerFetchResult.Unreachable, ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message);
        }
        finally
        {
            body?.Dispose();
        }
    }

    public void Dispose() => _invoker.Dispose();
}

/// <summary>How the sharding scraper asks a peer for its share; tests answer from memory.</summary>
public interface IPeerShareFetcher
{
    /// <summary>Never throws: a timeout (the token fired) or any failure comes back as a <see cref="PeerFetch"/>.</summary>
    Task<PeerFetch> FetchAsync(ReplicaEndpoint peer, CancellationToken cancellationToken);
}

/// <summary>The <c>result</c> label of <c>tinymetrics_peer_fetch_total</c>.</summary>
public static class PeerFetchResult
{
    public const string Ok = "ok";
    public const string Unreachable = "unreachable";
    public const string Timeout = "timeout";
    public const string Status = "status";
    public const string Invalid = "invalid";

    public static readonly string[] All = [Invalid, Ok, Status, Timeout, Unreachable];
}

/// <summary>One peer's answer: a share body (the receiver disposes it) or why there is none.</summary>
public sealed class PeerFetch : IDisposable
{
    private readonly PooledBody? _body;

    internal PeerFetch(string result, string? error, PooledBody? body)
    {
        Result = result;
        Error = error;
        _body = body;
    }

    /// <summary>A share held in memory (tests, or a replica's own); the bytes are not copied.</summary>
    public static PeerFetch FromBytes(byte[] share) => new(PeerFetchResult.Ok, null, null) { Bytes = share };

    public static PeerFetch Failed(string result, string error) => new(result, error, null);

    /// <summary>One of <see cref="PeerFetchResult"/>.</summary>
    public string Result { get; }

    public string? Error { get; }

    private byte[]? Bytes { get; init; }

    public ReadOnlySpan<byte> Share => _body is not null ? _body.Span : Bytes;

    public void Dispose() => _body?.Dispose();
}
