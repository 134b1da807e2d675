namespace TinyMetrics.Simulator.Api;

/// <summary>Static bearer tokens, as kube-apiserver's <c>--token-auth-file</c>.</summary>
public static class TokenAuthenticator
{
    /// <summary>Token of user "admin" in group system:masters (kubectl.kubeconfig).</summary>
    public const string AdminToken = "admin-token";

    /// <summary>Token of the metrics-server service account (tinymetrics.kubeconfig); also accepted by the kubelets.</summary>
    public const string MetricsServerToken = "tinymetrics-sa-token";

    public const string MetricsServerUser = "system:serviceaccount:kube-system:metrics-server";

    /// <summary>Authenticates as user "unprivileged", whom every SubjectAccessReview denies.</summary>
    public const string UnprivilegedToken = "unprivileged-token";

    public const string UnprivilegedUser = "unprivileged";

    internal static Caller? Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return null;
        return ForToken(header[Bearer.Length..].Trim());
    }

    internal static Caller? ForToken(string? token) => token switch
    {
        AdminToken => new Caller("admin", ["system:masters", "system:authenticated"]),
        MetricsServerToken => new Caller(MetricsServerUser,
            ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"]),
        UnprivilegedToken => new Caller(UnprivilegedUser, ["system:authenticated"]),
        null => null,
        _ => IssuedTokens.Find(token, DateTimeOffset.UtcNow, out _),
    };
}
