namespace TinyMetrics.Rendering;

/// <summary>The served versions of metrics.k8s.io; the objects are identical, only <c>apiVersion</c> differs.</summary>
public enum ApiVersion
{
    V1Beta1,
    V1,
}
