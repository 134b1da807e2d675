using TinyMetrics.Rendering;

namespace TinyMetrics.Http;

/// <summary>
/// A request for a metrics resource, read from its path:
/// <c>/apis/metrics.k8s.io/{version}/nodes[/{name}]</c>, <c>…/pods</c>,
/// <c>…/namespaces/{ns}/pods[/{name}]</c>.
/// </summary>
internal readonly record struct ResourceRequest(ApiVersion Version, bool IsPods, string? Namespace, string? Name)
{
    public string Resource => IsPods ? "pods" : "nodes";

    /// <summary>Segments after "apis", "metrics.k8s.io" and the version.</summary>
    public static bool TryParse(ApiVersion version, ReadOnlySpan<string> rest, out ResourceRequest request)
    {
        request = default;
        switch (rest)
        {
            case ["nodes"]:
                request = new(version, false, null, null);
                return true;
            case ["nodes", var name]:
                request = new(version, false, null, name);
                return true;
            case ["pods"]:
                request = new(version, true, null, null);
                return true;
            case ["namespaces", var ns, "pods"]:
                request = new(version, true, ns, null);
                return true;
            case ["namespaces", var ns, "pods", var name]:
                request = new(version, true, ns, name);
                return true;
            default:
                return false;
        }
    }

    public static bool TryParseVersion(string text, out ApiVersion version)
    {
        version = text == "v1" ? ApiVersion.V1 : ApiVersion.V1Beta1;
        return text is "v1" or "v1beta1";
    }
}
