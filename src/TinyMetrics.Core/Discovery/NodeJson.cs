using System.Text.Json.Serialization;

namespace TinyMetrics.Discovery;

// The parts of a Node that discovery reads: addresses, the kubelet port, readiness, labels and annotations.

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

internal sealed class NodeList : IKubeList<NodeObject>
{
    public ListMeta? Metadata { get; set; }
    public List<NodeObject>? Items { get; set; }
}
