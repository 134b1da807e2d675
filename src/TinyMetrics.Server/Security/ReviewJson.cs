using System.Text.Json.Serialization;

namespace TinyMetrics.Security;

/// <summary>The authentication.k8s.io/v1 TokenReview and authorization.k8s.io/v1 SubjectAccessReview wire shapes.</summary>
internal sealed class TokenReview
{
    public string ApiVersion { get; set; } = "authentication.k8s.io/v1";
    public string Kind { get; set; } = "TokenReview";
    public TokenReviewSpec Spec { get; set; } = new();
    public TokenReviewStatus? Status { get; set; }
}

internal sealed class TokenReviewSpec
{
    public string Token { get; set; } = "";
}

internal sealed class TokenReviewStatus
{
    public bool Authenticated { get; set; }
    public ReviewUser? User { get; set; }
    public string? Error { get; set; }
}

internal sealed class ReviewUser
{
    public string? Username { get; set; }
    public string? Uid { get; set; }
    public string[]? Groups { get; set; }
    public Dictionary<string, string[]>? Extra { get; set; }
}

internal sealed class SubjectAccessReview
{
    public string ApiVersion { get; set; } = "authorization.k8s.io/v1";
    public string Kind { get; set; } = "SubjectAccessReview";
    public SubjectAccessReviewSpec Spec { get; set; } = new();
    public SubjectAccessReviewStatus? Status { get; set; }
}

internal sealed class SubjectAccessReviewSpec
{
    public ResourceAttributesJson? ResourceAttributes { get; set; }
    public NonResourceAttributesJson? NonResourceAttributes { get; set; }
    public string User { get; set; } = "";
    public string? Uid { get; set; }
    public string[]? Groups { get; set; }
    public Dictionary<string, string[]>? Extra { get; set; }
}

internal sealed class ResourceAttributesJson
{
    public string? Namespace { get; set; }
    public string? Verb { get; set; }
    public string? Group { get; set; }
    public string? Version { get; set; }
    public string? Resource { get; set; }
    public string? Subresource { get; set; }
    public string? Name { get; set; }
}

internal sealed class NonResourceAttributesJson
{
    public string? Path { get; set; }
    public string? Verb { get; set; }
}

internal sealed class SubjectAccessReviewStatus
{
    public bool Allowed { get; set; }
    public bool Denied { get; set; }
    public string? Reason { get; set; }
    public string? EvaluationError { get; set; }
}

internal sealed class ConfigMapJson
{
    public Dictionary<string, string>? Data { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(TokenReview))]
[JsonSerializable(typeof(SubjectAccessReview))]
[JsonSerializable(typeof(ConfigMapJson))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ReviewJsonContext : JsonSerializerContext;
