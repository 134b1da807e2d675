using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// kube-apiserver's OpenAPI for the aggregated metrics server. /openapi/v2 is the API server's own spec merged with
/// the one downloaded from the metrics server (JSON, revalidated with If-None-Match as kube-aggregator's downloader
/// does); /openapi/v3 lists the metrics server's group-versions beside the API server's own (none here); the
/// group-version documents themselves are proxied.
/// </summary>
internal sealed class OpenApiAggregator
{
    private const string OwnV2 = """{"swagger":"2.0","info":{"title":"Kubernetes","version":"v1.36.0"},"paths":{},"definitions":{}}""";
    private const string OwnV3Index = """{"paths":{}}""";

    private readonly AggregationProxy _proxy;

    // The last download per path, kept to revalidate by ETag and to serve while the metrics server is down.
    private readonly ConcurrentDictionary<string, AggregationProxy.UpstreamResponse> _downloads = new();
    private int _notModified;

    public OpenApiAggregator(AggregationProxy proxy) => _proxy = proxy;

    /// <summary>Downloads answered 304 Not Modified: the metrics server honoured If-None-Match.</summary>
    public int NotModified => Volatile.Read(ref _notModified);

    public static bool HandlesGroupVersion(string path) => path.StartsWith("/openapi/v3/apis/metrics.k8s.io/", StringComparison.Ordinal);

    public async Task V2Async(HttpContext context)
    {
        var downloaded = await DownloadAsync("/openapi/v2", context.RequestAborted);
        var merged = JsonNode.Parse(OwnV2)!;
        if (downloaded is not null)
        {
            var spec = JsonNode.Parse(downloaded)!;
            MergeInto(merged["paths"]!.AsObject(), spec["paths"]?.AsObject());
            MergeInto(merged["definitions"]!.AsObject(), spec["definitions"]?.AsObject());
        }
        var json = System.Text.Encoding.UTF8.GetBytes(merged.ToJsonString());
        if (PrefersProtobuf(context.Request.Headers.Accept.ToString()))
        {
            using var parsed = System.Text.Json.JsonDocument.Parse(json);
            await ServeAsync(context, OpenApiV2Protobuf.Encode(parsed.RootElement), OpenApiV2Protobuf.ContentType);
            return;
        }
        await ServeAsync(context, json);
    }

    // The first listed of the two formats wins, as the server's negotiation reads kubectl's single-type Accept.
    private static bool PrefersProtobuf(string accept)
    {
        var protobuf = accept.IndexOf(OpenApiV2Protobuf.AcceptedType, StringComparison.Ordinal);
        if (protobuf < 0)
            protobuf = accept.IndexOf(OpenApiV2Protobuf.ContentType, StringComparison.Ordinal);
        var json = accept.IndexOf("application/json", StringComparison.Ordinal);
        return protobuf >= 0 && (json < 0 || protobuf < json);
    }

    public async Task V3IndexAsync(HttpContext context)
    {
        var downloaded = await DownloadAsync("/openapi/v3", context.RequestAborted);
        var index = JsonNode.Parse(OwnV3Index)!;
        if (downloaded is not null)
            MergeInto(index["paths"]!.AsObject(), JsonNode.Parse(downloaded)!["paths"]?.AsObject());
        await ServeAsync(context, System.Text.Encoding.UTF8.GetBytes(index.ToJsonString()));
    }

    private async Task<byte[]?> DownloadAsync(string path, CancellationToken ct)
    {
        _downloads.TryGetValue(path, out var last);
        var response = await _proxy.FetchAsync(path, "application/json", last?.ETag, ct);
        if (response is { Status: StatusCodes.Status304NotModified } && last is not null)
        {
            Interlocked.Increment(ref _notModified);
            return last.Body;
        }
        if (response is not { Status: StatusCodes.Status200OK })
            return last?.Body;
        _downloads[path] = response;
        return response.Body;
    }

    // kube-apiserver keeps its own entries when an aggregated spec names the same path or definition.
    private static void MergeInto(JsonObject target, JsonObject? source)
    {
        if (source is null)
            return;
        foreach (var (name, value) in source)
        {
            if (!target.ContainsKey(name))
                target[name] = value?.DeepClone();
        }
    }

    private static async Task ServeAsync(HttpContext context, byte[] json, string contentType = ApiResponses.Json)
    {
        var etag = "\"" + Convert.ToHexString(SHA512.HashData(json)) + "\"";
        context.Response.Headers.ETag = etag;
        context.Response.ContentType = contentType;
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.ContentLength = json.Length;
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
    }
}
