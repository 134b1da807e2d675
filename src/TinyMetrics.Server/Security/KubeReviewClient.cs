using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TinyMetrics.Kube;

namespace TinyMetrics.Security;

/// <summary>
/// POSTs review objects (TokenReview, SubjectAccessReview) and GETs the authentication ConfigMap through
/// Core's <see cref="KubeApiClient"/>, with a per-call deadline (the shared client has none, for watches).
/// </summary>
internal sealed class KubeReviewClient : IDisposable
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly KubeApiClient _api;

    public KubeReviewClient(KubeConnection connection, IRestClientMetrics? metrics = null) => _api = new KubeApiClient(connection, metrics);

    /// <summary>Creates the review and returns the server's answer; throws <see cref="HttpRequestException"/> on any failure.</summary>
    public async Task<T> CreateAsync<T>(string path, T review, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(review, typeInfo));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await SendAsync(HttpMethod.Post, path, content, typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new HttpRequestException("empty review response");
    }

    /// <summary>GETs an object; null when the server answers 404.</summary>
    public Task<T?> GetAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class =>
        SendAsync(HttpMethod.Get, path, null, typeInfo, cancellationToken);

    public void Dispose() => _api.Dispose();

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        // The deadline covers the exchange up to the response headers, as HttpClient.Timeout would.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CallTimeout);
        using var response = await _api.SendAsync(method, path, content, "application/json", deadline.Token).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound && method == HttpMethod.Get)
            return null;
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}", null, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new HttpRequestException("malformed response to " + path, ex);
        }
    }
}
