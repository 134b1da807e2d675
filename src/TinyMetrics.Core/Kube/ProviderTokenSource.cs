using k8s.Authentication;

namespace TinyMetrics.Kube;

/// <summary>Wraps a kubeconfig token provider (tokenFile, exec, OIDC), which caches and refreshes on its own.</summary>
public sealed class ProviderTokenSource : IBearerTokenSource
{
    private readonly ITokenProvider _provider;

    public ProviderTokenSource(ITokenProvider provider) => _provider = provider;

    public async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var header = await _provider.GetAuthenticationHeaderAsync(cancellationToken).ConfigureAwait(false);
        return header?.Parameter;
    }
}
