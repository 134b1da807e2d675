using System.Text.Json.Serialization;

namespace TinyMetrics.Discovery;

// A pod as PartialObjectMetadata: name, namespace, resourceVersion and labels only.

internal sealed class PodObject : IKubeItem
{
    public PodMeta? Metadata { get; set; }
    public int Code { get; set; }

    [JsonIgnore]
    public string? ResourceVersion => Metadata?.ResourceVersion;
}

// Pods: annotations can be large and are not needed, so this shape leaves them out.
internal sealed class PodMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? ResourceVersion { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

internal sealed class PodList : IKubeList<PodObject>
{
    public ListMeta? Metadata { get; set; }
    public List<PodObject>? Items { get; set; }
}
