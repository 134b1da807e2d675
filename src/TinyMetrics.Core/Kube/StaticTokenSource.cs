namespace TinyMetrics.Kube;

/// <summary>A token written into the kubeconfig; it never changes.</summary>
public sealed class StaticTokenSource : IBearerTokenSource
{
    private readonly string _token;

    public StaticTokenSource(string token) => _token = token;

    public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(_token);
}
