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
    private readonly HttpMessageInvoker _invoker;
    private readonly KubeletCredentials _credentials;

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
        };
        credentials.Tls.Apply(handler.SslOptions);
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// GETs <paramref name="url"/> into <paramref name="buffer"/>. Returns null on success or the
    /// error text; throws only <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    internal async Task<string?> FetchAsync(Uri url, ScrapeBuffer buffer, int maxBodyBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (_credentials.Token is { } source && await source.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                return $"request failed, status: \"{(int)response.StatusCode} {response.ReasonPhrase}\"";
            if (response.Content.Headers.ContentLength > maxBodyBytes)
                return "response body too large";
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await buffer.ReadFromAsync(stream, maxBodyBytes, cancellationToken).ConfigureAwait(false) ? null : "response body too large";
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return Describe(url, ex);
        }
    }

    public void Dispose() => _invoker.Dispose();

    private static string Describe(Uri url, Exception ex)
    {
        var message = ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message;
        return $"Get \"{url}\": {message}";
    }
}
