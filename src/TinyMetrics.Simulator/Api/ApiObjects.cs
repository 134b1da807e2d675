using System.Text.Json.Serialization;

namespace TinyMetrics.Simulator.Api;

// Just the fields kubectl, client-go and TinyMetrics read; property names follow the Kubernetes JSON (camelCase).

internal sealed class ObjectMeta
{
    public string? Name { get; set; }
    public string? Namespace { get; set; }
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
    public string? CreationTimestamp { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

internal sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
    public string? Continue { get; set; }
    public long? RemainingItemCount { get; set; }
}

internal sealed class PartialObjectMetadata
{
    public string Kind { get; set; } = "PartialObjectMetadata";
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";
    public ObjectMeta Metadata { get; set; } = new();
}

internal sealed class Status
{
    public string Kind { get; set; } = "Status";
    public string ApiVersion { get; set; } = "v1";
    public ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("status")]
    public string Status_ { get; set; } = "Failure";
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public StatusDetails? Details { get; set; }
    public int Code { get; set; }
}

internal sealed class StatusDetails
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
}

internal sealed class ConfigMap
{
    public string Kind { get; set; } = "ConfigMap";
    public string ApiVersion { get; set; } = "v1";
    public ObjectMeta Metadata { get; set; } = new();
    public Dictionary<string, string> Data { get; set; } = [];
}

internal sealed class VersionInfo
{
    public string Major { get; set; } = "1";
    public string Minor { get; set; } = "33";
    public string GitVersion { get; set; } = "v1.33.0-tinymetrics-sim";
    public string GitCommit { get; set; } = "0000000000000000000000000000000000000000";
    public string GitTreeState { get; set; } = "clean";
    public string BuildDate { get; set; } = "2025-01-01T00:00:00Z";
    public string GoVersion { get; set; } = "go1.24.0";
    public string Compiler { get; set; } = "gc";
    public string Platform { get; set; } = "linux/amd64";
}
