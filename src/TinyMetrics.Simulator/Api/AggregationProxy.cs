using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// What kube-aggregator does for an APIService: forward <c>/apis/metrics.k8s.io/{v1beta1,v1}/**</c> to the
/// metrics server over TLS with the front-proxy client certificate and the authenticated caller in
/// <c>X-Remote-User</c>/<c>X-Remote-Group</c>. The upstream certificate is not verified, as with the default
/// APIService's insecureSkipTLSVerify: true.
/// </summary>
internal sealed class AggregationProxy : IDisposable
{
    private readonly Uri? _upstream;
    private readonly HttpClient? _client;

    public AggregationProxy(Uri? upstream, X509Certificate2 frontProxyClient)
    {
        _upstream = upstream;
        if (upstream is null)
            return;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AllowAutoRedirect = false,
            UseCookies = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [frontProxyClient],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => frontProxyClient,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public static bool Handles(string path) =>
        IsUnder(path, "/apis/metrics.k8s.io/v1beta1") || IsUnder(path, "/apis/metrics.k8s.io/v1");

    public async Task ProxyAsync(HttpContext context, Caller caller)
    {
        if (_client is null || _upstream is null)
        {
            await Unavailable(context);
            return;
        }
        using var request = BuildRequest(context, caller);
        HttpResponseMessage upstream;
        try
        {
            upstream = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            await Unavailable(context);
            return;
        }
        using (upstream)
        {
            context.Response.StatusCode = (int)upstream.StatusCode;
            var contentType = upstream.Content.Headers.ContentType?.ToString();
            if (contentType is not null)
                context.Response.ContentType = contentType;
            await using var body = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            // Copy as it arrives: a watch through the proxy must not be buffered.
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
    }

    private HttpRequestMessage BuildRequest(HttpContext context, Caller caller)
    {
        var incoming = context.Request;
        var target = new Uri(_upstream!, incoming.Path.Value + incoming.QueryString.Value);
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        if (!StringValues.IsNullOrEmpty(incoming.Headers.Accept))
            request.Headers.TryAddWithoutValidation("Accept", (IEnumerable<string?>)incoming.Headers.Accept);
        if (!StringValues.IsNullOrEmpty(incoming.Headers.UserAgent))
            request.Headers.TryAddWithoutValidation("User-Agent", incoming.Headers.UserAgent.ToString());
        // Only the identity the proxy vouches for goes upstream: never the caller's token or X-Remote-* headers.
        request.Headers.TryAddWithoutValidation("X-Remote-User", caller.User);
        foreach (var group in caller.Groups)
            request.Headers.TryAddWithoutValidation("X-Remote-Group", group);
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(incoming.Body);
            if (incoming.ContentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", incoming.ContentType);
        }
        return request;
    }

    private static Task Unavailable(HttpContext context) =>
        ApiResponses.StatusAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "service unavailable");

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    public void Dispose() => _client?.Dispose();
}
