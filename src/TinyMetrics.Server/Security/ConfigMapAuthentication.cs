using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace TinyMetrics.Security;

/// <summary>
/// Reads kube-system/extension-apiserver-authentication, where kube-apiserver publishes the client CA
/// and the request-header settings for aggregated servers.
/// </summary>
internal static class ConfigMapAuthentication
{
    public const string Path = "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication";

    /// <summary>The values found; null when the ConfigMap does not exist. Throws on a failed call.</summary>
    public static async Task<Values?> FetchAsync(KubeReviewClient client, CancellationToken cancellationToken)
    {
        var map = await client.GetAsync(Path, ReviewJsonContext.Default.ConfigMapJson, cancellationToken).ConfigureAwait(false);
        if (map is null)
            return null;
        var data = map.Data ?? [];
        var clientCa = Certificates(data, "client-ca-file");
        var requestHeaderCa = Certificates(data, "requestheader-client-ca-file");
        FrontProxySettings? requestHeader = requestHeaderCa is null ? null : new FrontProxySettings(requestHeaderCa,
            List(data, "requestheader-allowed-names"), List(data, "requestheader-username-headers"),
            List(data, "requestheader-group-headers"), List(data, "requestheader-extra-headers-prefix"))
        {
            UidHeaders = List(data, "requestheader-uid-headers"),
        };
        return new Values(clientCa, requestHeader, Canonical(data));
    }

    // Sorted key=value lines: equal text means nothing to re-publish.
    private static string Canonical(Dictionary<string, string> data)
    {
        var keys = new string[data.Count];
        data.Keys.CopyTo(keys, 0);
        Array.Sort(keys, StringComparer.Ordinal);
        var text = new System.Text.StringBuilder();
        foreach (var key in keys)
            text.Append(key).Append('=').Append(data[key]).Append('\0');
        return text.ToString();
    }

    private static X509Certificate2Collection? Certificates(Dictionary<string, string> data, string key)
    {
        if (!data.TryGetValue(key, out var pem) || string.IsNullOrWhiteSpace(pem))
            return null;
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return collection.Count == 0 ? null : collection;
    }

    private static string[] List(Dictionary<string, string> data, string key)
    {
        if (!data.TryGetValue(key, out var text) || string.IsNullOrWhiteSpace(text))
            return [];
        try
        {
            return JsonSerializer.Deserialize(text, ReviewJsonContext.Default.StringArray) ?? [];
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"key {key} of the authentication ConfigMap is not a JSON string array");
        }
    }

    /// <summary>What the ConfigMap holds; a null member means the key is absent. <see cref="Content"/> identifies the data.</summary>
    public sealed record Values(X509Certificate2Collection? ClientCa, FrontProxySettings? RequestHeader, string Content);
}
