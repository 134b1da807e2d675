using System.Text.Json.Serialization;

namespace TinyMetrics.Simulator.Api;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(PartialObjectMetadata))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(VersionInfo))]
[JsonSerializable(typeof(ApiVersions))]
[JsonSerializable(typeof(ApiGroupList))]
[JsonSerializable(typeof(ApiGroup))]
[JsonSerializable(typeof(ApiResourceList))]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(Table))]
[JsonSerializable(typeof(object))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
