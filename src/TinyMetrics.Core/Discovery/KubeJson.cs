using System.Text.Json.Serialization;

namespace TinyMetrics.Discovery;

// Minimal shapes of the objects discovery reads. Everything not named here (managedFields, spec,
// the rest of status) is skipped by the reader without being materialised.

internal interface IKubeItem
{
    string? ResourceVersion { get; }

    /// <summary>Set only when the object is a Status (an ERROR watch event).</summary>
    int Code { get; }
}

internal interface IKubeList<TItem>
{
    ListMeta? Metadata { get; }

    List<TItem>? Items { get; }
}

internal sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? ResourceVersion { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

// Pods: annotations can be large and are not needed, so this shape leaves them out.
internal sealed class PodMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? ResourceVersion { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

internal sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
}

internal sealed class NodeObject : IKubeItem
{
    public ObjectMeta? Metadata { get; set; }
    public NodeStatus? Status { get; set; }
    public int Code { get; set; }

    [JsonIgnore]
    public string? ResourceVersion => Metadata?.ResourceVersion;
}

internal sealed class NodeStatus
{
    public List<NodeAddressJson>? Addresses { get; set; }
    public DaemonEndpoints? DaemonEndpoints { get; set; }
    public List<NodeCondition>? Conditions { get; set; }
}

internal sealed class NodeAddressJson
{
    public string? Type { get; set; }
    public string? Address { get; set; }
}

internal sealed class DaemonEndpoints
{
    public KubeletEndpoint? KubeletEndpoint { get; set; }
}

internal sealed class KubeletEndpoint
{
    [JsonPropertyName("Port")]
    public int Port { get; set; }
}

internal sealed class NodeCondition
{
    public string? Type { get; set; }
    public string? Status { get; set; }
}

internal sealed class PodObject : IKubeItem
{
    public PodMeta? Metadata { get; set; }
    public int Code { get; set; }

    [JsonIgnore]
    public string? ResourceVersion => Metadata?.ResourceVersion;
}

internal sealed class StatusObject
{
    public int Code { get; set; }
    public string? Reason { get; set; }
}

internal sealed class NodeList : IKubeList<NodeObject>
{
    public ListMeta? Metadata { get; set; }
    public List<NodeObject>? Items { get; set; }
}

internal sealed class PodList : IKubeList<PodObject>
{
    public ListMeta? Metadata { get; set; }
    public List<PodObject>? Items { get; set; }
}

internal sealed class WatchEvent<T>
    where T : class
{
    public string? Type { get; set; }
    public T? Object { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(PodList))]
[JsonSerializable(typeof(WatchEvent<NodeObject>))]
[JsonSerializable(typeof(WatchEvent<PodObject>))]
[JsonSerializable(typeof(WatchEvent<StatusObject>))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
