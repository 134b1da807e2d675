namespace TinyMetrics.Kube;

/// <summary>Supplies the bearer token for each request; implementations cache and refresh it themselves.</summary>
public interface IBearerTokenSource
{
    /// <summary>The current token, or null when none is available (the request then goes without one).</summary>
    ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken);
}
