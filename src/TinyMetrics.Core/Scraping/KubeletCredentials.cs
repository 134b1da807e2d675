using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Kube;

namespace TinyMetrics.Scraping;

/// <summary>
/// TLS trust, client certificate and bearer token for kubelets: the API connection's, with the
/// kubelet flags layered on top as upstream's <c>kubelet_client.go</c> does.
/// </summary>
public sealed record KubeletCredentials(TlsSettings Tls, IBearerTokenSource? Token)
{
    public static readonly KubeletCredentials None = new(TlsSettings.Default, null);

    public static KubeletCredentials From(KubeConnection? connection, KubeletClientOptions options)
    {
        if (options.CompletelyInsecure)
            return None;
        var ca = connection?.Tls.CaCertificates;
        var clientCertificate = connection?.Tls.ClientCertificate;
        var skipVerify = connection?.Tls.SkipVerify ?? false;
        if (options.CaFile is { Length: > 0 } caFile)
            ca = TlsSettings.LoadCaBundle(caFile);
        if (options.ClientCertificateFile is { Length: > 0 } certFile && options.ClientKeyFile is { Length: > 0 } keyFile)
            clientCertificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        if (options.InsecureTls)
        {
            ca = null;
            skipVerify = true;
        }
        // The API server's tls-server-name is not carried over: kubelets are verified against the dialled address.
        return new KubeletCredentials(new TlsSettings(ca, clientCertificate, skipVerify), connection?.Token);
    }
}
