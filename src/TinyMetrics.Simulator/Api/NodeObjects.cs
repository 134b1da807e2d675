using System.Text.Json.Serialization;

namespace TinyMetrics.Simulator.Api;

internal sealed class Node
{
    public string Kind { get; set; } = "Node";
    public string ApiVersion { get; set; } = "v1";
    public ObjectMeta Metadata { get; set; } = new();
    public NodeSpec Spec { get; set; } = new();
    public NodeStatus Status { get; set; } = new();
}

internal sealed class NodeSpec
{
    public string? PodCIDR { get; set; }
    public string? ProviderID { get; set; }
}

internal sealed class NodeStatus
{
    public Dictionary<string, string> Capacity { get; set; } = [];
    public Dictionary<string, string> Allocatable { get; set; } = [];
    public NodeCondition[] Conditions { get; set; } = [];
    public NodeAddressObject[] Addresses { get; set; } = [];
    public DaemonEndpoints DaemonEndpoints { get; set; } = new();
    public NodeSystemInfo NodeInfo { get; set; } = new();
}

internal sealed class NodeCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? LastHeartbeatTime { get; set; }
    public string? LastTransitionTime { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
}

internal sealed class NodeAddressObject
{
    public string Type { get; set; } = "";
    public string Address { get; set; } = "";
}

internal sealed class DaemonEndpoints
{
    public KubeletEndpoint KubeletEndpoint { get; set; } = new();
}

internal sealed class KubeletEndpoint
{
    // Kubernetes spells this one field with a capital P (DaemonEndpoint's json tag is "Port").
    [JsonPropertyName("Port")]
    public int Port { get; set; }
}

internal sealed class NodeSystemInfo
{
    public string MachineID { get; set; } = "";
    public string SystemUUID { get; set; } = "";
    public string BootID { get; set; } = "";
    public string KernelVersion { get; set; } = "6.1.0-sim";
    public string OsImage { get; set; } = "TinyMetrics Simulator";
    public string ContainerRuntimeVersion { get; set; } = "containerd://1.7.0";
    public string KubeletVersion { get; set; } = "v1.33.0";
    public string KubeProxyVersion { get; set; } = "";
    public string OperatingSystem { get; set; } = "linux";
    public string Architecture { get; set; } = "amd64";

    /// <summary>Set only on a node with swap, as the kubelet does (what <c>kubectl top node --show-swap</c> divides by).</summary>
    public NodeSwapStatus? Swap { get; set; }
}

internal sealed class NodeSwapStatus
{
    public long? Capacity { get; set; }
}
