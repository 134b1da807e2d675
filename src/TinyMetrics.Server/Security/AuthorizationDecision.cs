namespace TinyMetrics.Security;

/// <summary>An authorizer's answer: allowed, or not with the reviewer's reason; <see cref="Error"/> when nobody could decide.</summary>
internal readonly record struct AuthorizationDecision(bool Allowed, string? Reason, bool Error = false);
