namespace TinyMetrics.Simulator.Api;

internal sealed class Pod
{
    public string Kind { get; set; } = "Pod";
    public string ApiVersion { get; set; } = "v1";
    public ObjectMeta Metadata { get; set; } = new();
    public PodSpec Spec { get; set; } = new();
    public PodStatus Status { get; set; } = new();
}

internal sealed class PodSpec
{
    public string NodeName { get; set; } = "";
    public ContainerSpec[] Containers { get; set; } = [];
    public string RestartPolicy { get; set; } = "Always";
    public string? ServiceAccountName { get; set; }
}

internal sealed class ContainerSpec
{
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
}

internal sealed class PodStatus
{
    public string Phase { get; set; } = "Running";
    public PodCondition[] Conditions { get; set; } = [];
    public string? HostIP { get; set; }
    public string? PodIP { get; set; }
    public string? StartTime { get; set; }
    public string QosClass { get; set; } = "BestEffort";
    public ContainerStatus[] ContainerStatuses { get; set; } = [];
}

internal sealed class PodCondition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = "";
    public string? LastTransitionTime { get; set; }
}

internal sealed class ContainerStatus
{
    public string Name { get; set; } = "";
    public bool Ready { get; set; }
    public bool Started { get; set; }
    public int RestartCount { get; set; }
    public string Image { get; set; } = "";
    public string ImageID { get; set; } = "";
    public string ContainerID { get; set; } = "";
    public ContainerState State { get; set; } = new();
}

internal sealed class ContainerState
{
    public ContainerStateRunning? Running { get; set; }
}

internal sealed class ContainerStateRunning
{
    public string? StartedAt { get; set; }
}
