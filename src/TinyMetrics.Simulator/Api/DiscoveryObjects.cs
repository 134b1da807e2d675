using System.Text.Json.Serialization;

namespace TinyMetrics.Simulator.Api;

internal sealed class ApiVersions
{
    public string Kind { get; set; } = "APIVersions";
    public string[] Versions { get; set; } = ["v1"];
    public ServerAddress[] ServerAddressByClientCIDRs { get; set; } = [];
}

internal sealed class ServerAddress
{
    public string ClientCIDR { get; set; } = "0.0.0.0/0";
    [JsonPropertyName("serverAddress")]
    public string ServerAddress_ { get; set; } = "";
}

internal sealed class ApiGroupList
{
    public string Kind { get; set; } = "APIGroupList";
    public string ApiVersion { get; set; } = "v1";
    public ApiGroup[] Groups { get; set; } = [];
}

internal sealed class ApiGroup
{
    public string? Kind { get; set; }
    public string? ApiVersion { get; set; }
    public string Name { get; set; } = "";
    public GroupVersion[] Versions { get; set; } = [];
    public GroupVersion PreferredVersion { get; set; } = new();
}

internal sealed class GroupVersion
{
    [JsonPropertyName("groupVersion")]
    public string GroupVersion_ { get; set; } = "";
    public string Version { get; set; } = "";
}

internal sealed class ApiResourceList
{
    public string Kind { get; set; } = "APIResourceList";
    public string ApiVersion { get; set; } = "v1";
    public string GroupVersion { get; set; } = "";
    public ApiResource[] Resources { get; set; } = [];
}

internal sealed class ApiResource
{
    public string Name { get; set; } = "";
    public string SingularName { get; set; } = "";
    public bool Namespaced { get; set; }
    public string Kind { get; set; } = "";
    public string[] Verbs { get; set; } = [];
    public string[]? ShortNames { get; set; }
}
