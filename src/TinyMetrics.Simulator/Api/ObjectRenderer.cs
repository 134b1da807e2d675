using System.Globalization;
using TinyMetrics.Discovery;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Api;

/// <summary>Turns model objects into their Kubernetes JSON shapes.</summary>
internal static class ObjectRenderer
{
    public static string Timestamp(long unixNanos) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixNanos / 1_000_000).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static ObjectMeta Metadata(SimulatedNode node) => new()
    {
        Name = node.Name,
        Uid = node.Uid,
        ResourceVersion = node.ResourceVersion,
        CreationTimestamp = Timestamp(node.CreationUnixNanos),
        Labels = Labels(node.Labels),
        Annotations = new Dictionary<string, string> { ["node.alpha.kubernetes.io/ttl"] = "0" },
    };

    public static ObjectMeta Metadata(SimulatedPod pod) => new()
    {
        Name = pod.Name,
        Namespace = pod.Namespace,
        Uid = pod.Uid,
        ResourceVersion = pod.ResourceVersion,
        CreationTimestamp = Timestamp(pod.CreationUnixNanos),
        Labels = Labels(pod.Labels),
    };

    public static Node Node(SimulatedNode node, long startUnixNanos)
    {
        var resources = new Dictionary<string, string>
        {
            ["cpu"] = "4",
            ["ephemeral-storage"] = "100Gi",
            ["memory"] = "16Gi",
            ["pods"] = "110",
        };
        var heartbeat = Timestamp(startUnixNanos);
        return new Node
        {
            Metadata = Metadata(node),
            Spec = new NodeSpec { PodCIDR = "10.244." + (node.Index % 250) + ".0/24", ProviderID = "sim://" + node.Name },
            Status = new NodeStatus
            {
                Capacity = resources,
                Allocatable = new Dictionary<string, string>(resources),
                Conditions =
                [
                    new NodeCondition
                    {
                        Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "kubelet is posting ready status",
                        LastHeartbeatTime = heartbeat, LastTransitionTime = Timestamp(node.CreationUnixNanos),
                    },
                ],
                Addresses =
                [
                    new NodeAddressObject { Type = "InternalIP", Address = node.Address },
                    new NodeAddressObject { Type = "Hostname", Address = node.Name },
                ],
                DaemonEndpoints = new DaemonEndpoints { KubeletEndpoint = new KubeletEndpoint { Port = node.KubeletPort } },
                NodeInfo = new NodeSystemInfo
                {
                    MachineID = node.Uid.Replace("-", "", StringComparison.Ordinal), SystemUUID = node.Uid, BootID = node.Uid,
                    KubeletVersion = node.Dialect == KubeletDialect.Legacy ? "v1.26.15" : "v1.33.0",
                    Swap = node.SwapCapacityBytes > 0 ? new NodeSwapStatus { Capacity = node.SwapCapacityBytes } : null,
                },
            },
        };
    }

    public static Pod Pod(SimulatedPod pod, SimulatedCluster cluster)
    {
        var containers = new ContainerSpec[pod.Containers.Length];
        var statuses = new ContainerStatus[pod.Containers.Length];
        for (var i = 0; i < containers.Length; i++)
        {
            var c = pod.Containers[i];
            containers[i] = new ContainerSpec { Name = c.Name, Image = c.Image };
            statuses[i] = new ContainerStatus
            {
                Name = c.Name,
                Ready = true,
                Started = true,
                Image = c.Image,
                ImageID = c.Image + "@sha256:" + new string('0', 64),
                ContainerID = "containerd://" + pod.Uid.Replace("-", "", StringComparison.Ordinal) + i.ToString(CultureInfo.InvariantCulture),
                State = new ContainerState { Running = new ContainerStateRunning { StartedAt = Timestamp(c.StartUnixNanos) } },
            };
        }
        var started = Timestamp(pod.Containers.Length > 0 ? pod.Containers[0].StartUnixNanos : pod.CreationUnixNanos);
        return new Pod
        {
            Metadata = Metadata(pod),
            Spec = new PodSpec { NodeName = pod.NodeName, Containers = containers, ServiceAccountName = "default" },
            Status = new PodStatus
            {
                Conditions =
                [
                    new PodCondition { Type = "Initialized", Status = "True", LastTransitionTime = started },
                    new PodCondition { Type = "Ready", Status = "True", LastTransitionTime = started },
                    new PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = started },
                    new PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = Timestamp(pod.CreationUnixNanos) },
                ],
                HostIP = cluster.NodesByName[pod.NodeName].Address,
                PodIP = pod.PodIp,
                StartTime = Timestamp(pod.CreationUnixNanos),
                ContainerStatuses = statuses,
            },
        };
    }

    private static Dictionary<string, string> Labels(LabelSet labels)
    {
        var result = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var (key, value) in labels.Pairs)
            result[key] = value;
        return result;
    }
}
