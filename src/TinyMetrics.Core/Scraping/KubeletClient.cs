using System.Net;
using System.Net.Http.Headers;

namespace TinyMetrics.Scraping;

/// <summary>
/// Fetches <c>/metrics/resource</c> from kubelets over ONE shared handler: connections are kept
/// alive and reused from cycle to cycle (a new TLS handshake costs several times the fetch), one
/// per kubelet, with no decompression (gzip saves nothing on loopback-sized bodies and costs CPU).
/// Thread-safe.
/// </summary>
public sealed class KubeletClient : IDisposable
{
    private const string TooLarge = "response body too large";
    private const string NotFoundError = "request failed, status: \"404 ";

    // Set on a request by a caller that wants to hear when the connection that request opens has finished its
    // TLS handshake (the scraper bounds handshakes in flight, not the requests that follow them).
    private static readonly HttpRequestOptionsKey<Action> ConnectionOpenedKey = new("tinymetrics.kubelet-connection-opened");

    private readonly HttpMessageInvoker _invoker;
    private readonly KubeletCredentials _credentials;

    /// <summary>What the client presents and trusts; owned (disposed) by this client.</summary>
    public KubeletCredentials Credentials => _credentials;

    public KubeletClient(KubeletCredentials credentials, KubeletClientOptions options)
    {
        _credentials = credentials;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            // One connection per kubelet: a node is scraped once per cycle, and each extra
            // connection costs TLS state and buffers per node.
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = options.IdleConnectionTimeout,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = options.ConnectTimeout,
            MaxResponseHeadersLength = 16,
            // Runs once per new connection, after the handshake and before the first request is written.
            PlaintextStreamFilter = static (context, _) =>
            {
                if (context.InitialRequestMessage.Options.TryGetValue(ConnectionOpenedKey, out var opened))
                    opened();
                return ValueTask.FromResult(context.PlaintextStream);
            },
        };
        credentials.Apply(handler.SslOptions);
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// GETs <paramref name="url"/>. On success the body is returned (the caller disposes it);
    /// otherwise the error text. The status code is the answer's, 0 when none came. Throws only <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires. <paramref name="connectionOpened"/>, when given, is called once the TLS
    /// handshake of a connection this request opens is done (never when the request rides a kept-alive connection).
    /// </summary>
    internal async Task<(PooledBody? Body, string? Error, int Status)> FetchAsync(
        Uri url, int maxBodyBytes, CancellationToken cancellationToken, Action? connectionOpened = null)
    {
        PooledBody? body = null;
        var status = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (connectionOpened is not null)
                request.Options.Set(ConnectionOpenedKey, connectionOpened);
            if (_credentials.Token is { } source && await source.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.StatusCode != HttpStatusCode.OK)
                return (null, $"request failed, status: \"{status} {response.ReasonPhrase}\"", status);
            var length = response.Content.Headers.ContentLength;
            if (length > maxBodyBytes)
                return (null, TooLarge, status);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                body = new PooledBody(length);
                try
                {
                    if (!await body.ReadFromAsync(stream, maxBodyBytes, cancellationToken).ConfigureAwait(false))
                        return (null, TooLarge, status);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The status and headers came, then the connection ended: upstream's io.Copy error, in its words.
                    return (null, ScrapeFailureReason.BodyReadError + BodyReadCause(ex), status);
                }
                var result = body;
                body = null;
                return (result, null, status);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return (null, Describe(url, ex), status);
        }
        finally
        {
            body?.Dispose();
        }
    }

    /// <summary>True for the error of a 404 answer: the kubelet has no such endpoint.</summary>
    internal static bool IsNotFound(string? error) =>
        error is not null && error.StartsWith(NotFoundError, StringComparison.Ordinal);

    public void Dispose()
    {
        _invoker.Dispose();
        _credentials.Dispose();
    }

    private static string Describe(Uri url, Exception ex) => $"Get \"{url}\": {Message(ex)}";

    // A body short of its Content-Length (or last chunk) is Go's io.ErrUnexpectedEOF; a reset keeps its own text.
    private static string BodyReadCause(Exception ex) =>
        ex is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } ? "unexpected EOF" : Message(ex);

    private static string Message(Exception ex) => ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message;
}
