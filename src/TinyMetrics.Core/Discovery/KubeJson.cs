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

internal sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
}

internal sealed class StatusObject
{
    public int Code { get; set; }
    public string? Reason { get; set; }
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
