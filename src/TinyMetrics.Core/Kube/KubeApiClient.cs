using System.Net.Http.Headers;

namespace TinyMetrics.Kube;

/// <summary>
/// A thin client for the Kubernetes API: adds the bearer token per request (so a rotated token is
/// used at once) and returns the response after the headers, for streaming bodies. Each call is reported to
/// the <see cref="IRestClientMetrics"/>, if any, as client-go reports its requests.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IBearerTokenSource? _token;
    // Without the trailing slash, so a server URL with a path prefix (an API proxy) keeps it.
    private readonly string _base;
    private readonly IRestClientMetrics? _metrics;
    // Go's url.URL.Host: the host, and the port unless it is the scheme's default.
    private readonly string _host;

    public KubeApiClient(KubeConnection connection, IRestClientMetrics? metrics = null)
        : this(connection.Server, connection.CreateHandler(), connection.Token, metrics)
    {
    }

    public KubeApiClient(Uri server, HttpMessageHandler handler, IBearerTokenSource? token, IRestClientMetrics? metrics = null)
    {
        _metrics = metrics;
        _host = server.Authority;
        // Watches last minutes; per-call deadlines come from cancellation tokens instead.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _token = token;
        Server = server;
        _base = server.AbsoluteUri.TrimEnd('/');
    }

    public Uri Server { get; }

    /// <summary><paramref name="pathAndQuery"/> is relative to the server (it starts with '/'). The caller disposes the response.</summary>
    public Task<HttpResponseMessage> GetAsync(string pathAndQuery, string accept, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, accept, cancellationToken);

    /// <summary>As <see cref="GetAsync"/>, for any method and an optional body.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string pathAndQuery, HttpContent? content, string accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _base + pathAndQuery) { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (_token is not null && await _token.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (_metrics is null)
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var code = 0;
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            code = (int)response.StatusCode;
            return response;
        }
        finally
        {
            _metrics.Observe(method.Method, _host, code, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    public void Dispose() => _http.Dispose();
}
