using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TinyMetrics.Kube;

namespace TinyMetrics.Security;

/// <summary>
/// POSTs review objects (TokenReview, SubjectAccessReview) and GETs the authentication ConfigMap.
/// Core's client only GETs; this one shares its connection settings and token source.
/// </summary>
internal sealed class KubeReviewClient : IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly IBearerTokenSource? _token;
    private readonly string _base;

    public KubeReviewClient(KubeConnection connection)
        : this(connection.Server, connection.CreateHandler(), connection.Token)
    {
    }

    public KubeReviewClient(Uri server, HttpMessageHandler handler, IBearerTokenSource? token)
    {
        _http = new HttpClient(handler) { Timeout = CallTimeout };
        _token = token;
        _base = server.AbsoluteUri.TrimEnd('/');
    }

    /// <summary>Creates the review and returns the server's answer; throws <see cref="HttpRequestException"/> on any failure.</summary>
    public async Task<T> CreateAsync<T>(string path, T review, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + path);
        var body = JsonSerializer.SerializeToUtf8Bytes(review, typeInfo);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(request, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("empty review response");
    }

    /// <summary>GETs an object; null when the server answers 404.</summary>
    public async Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _base + path);
        return await SendAsync(request, typeInfo, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task<T?> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (_token is not null && await _token.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound && request.Method == HttpMethod.Get)
            return null;
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{request.Method} {request.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}", null, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new HttpRequestException("malformed response to " + request.RequestUri?.AbsolutePath, ex);
        }
    }
}
