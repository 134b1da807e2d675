using System.Text.Json.Serialization;
using TinyMetrics.Discovery;

namespace TinyMetrics.Replicas;

// The parts of a discovery.k8s.io/v1 EndpointSlice that membership reads: each endpoint's addresses and
// readiness, and the ports. Everything else (topology, hints, targetRef) is skipped unread.

internal sealed class EndpointSliceObject : IKubeItem
{
    public ObjectMeta? Metadata { get; set; }
    public List<EndpointJson>? Endpoints { get; set; }
    public List<EndpointPortJson>? Ports { get; set; }
    public int Code { get; set; }

    [JsonIgnore]
    public string? ResourceVersion => Metadata?.ResourceVersion;
}

internal sealed class EndpointJson
{
    public List<string>? Addresses { get; set; }
    public EndpointConditions? Conditions { get; set; }
}

internal sealed class EndpointConditions
{
    /// <summary>Unset means ready, as the EndpointSlice API defines it.</summary>
    public bool? Ready { get; set; }
}

internal sealed class EndpointPortJson
{
    public string? Name { get; set; }
    public int? Port { get; set; }
}

internal sealed class EndpointSliceList : IKubeList<EndpointSliceObject>
{
    public ListMeta? Metadata { get; set; }
    public List<EndpointSliceObject>? Items { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(EndpointSliceList))]
[JsonSerializable(typeof(WatchEvent<EndpointSliceObject>))]
internal sealed partial class ReplicaJsonContext : JsonSerializerContext;
