namespace TinyMetrics.Simulator.Api;

internal sealed class TokenReview
{
    public string Kind { get; set; } = "TokenReview";
    public string ApiVersion { get; set; } = "authentication.k8s.io/v1";
    public ObjectMeta Metadata { get; set; } = new();
    public TokenReviewSpec Spec { get; set; } = new();
    public TokenReviewStatus? Status { get; set; }
}

internal sealed class TokenReviewSpec
{
    public string? Token { get; set; }
    public string[]? Audiences { get; set; }
}

internal sealed class TokenReviewStatus
{
    public bool Authenticated { get; set; }
    public UserInfo? User { get; set; }
    public string? Error { get; set; }
}

internal sealed class UserInfo
{
    public string Username { get; set; } = "";
    public string? Uid { get; set; }
    public string[] Groups { get; set; } = [];
}

internal sealed class SubjectAccessReview
{
    public string Kind { get; set; } = "SubjectAccessReview";
    public string ApiVersion { get; set; } = "authorization.k8s.io/v1";
    public ObjectMeta Metadata { get; set; } = new();
    public SubjectAccessReviewSpec Spec { get; set; } = new();
    public SubjectAccessReviewStatus? Status { get; set; }
}

internal sealed class SubjectAccessReviewSpec
{
    public string? User { get; set; }
    public string[]? Groups { get; set; }
    public string? Uid { get; set; }
    public Dictionary<string, string[]>? Extra { get; set; }
    public ResourceAttributes? ResourceAttributes { get; set; }
    public NonResourceAttributes? NonResourceAttributes { get; set; }
}

internal sealed class ResourceAttributes
{
    public string? Namespace { get; set; }
    public string? Verb { get; set; }
    public string? Group { get; set; }
    public string? Version { get; set; }
    public string? Resource { get; set; }
    public string? Subresource { get; set; }
    public string? Name { get; set; }
}

internal sealed class NonResourceAttributes
{
    public string? Path { get; set; }
    public string? Verb { get; set; }
}

internal sealed class SubjectAccessReviewStatus
{
    public bool Allowed { get; set; }
    public bool? Denied { get; set; }
    public string? Reason { get; set; }
}
