using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using TinyMetrics.Kube;

namespace TinyMetrics.Scraping;

/// <summary>
/// TLS trust, client certificate and bearer token for kubelets: the API connection's, with the
/// kubelet flags layered on top as upstream's <c>kubelet_client.go</c> does. Files named by the flags are
/// re-read while running, so a rotated CA or client certificate is used from the next connection on.
/// </summary>
public sealed record KubeletCredentials(TlsSettings Tls, IBearerTokenSource? Token) : IDisposable
{
    public static readonly KubeletCredentials None = new(TlsSettings.Default, null);

    /// <summary><c>--kubelet-certificate-authority</c>, when given: replaces <see cref="TlsSettings.CaCertificates"/>.</summary>
    public ReloadableFiles<X509Certificate2Collection>? CaFile { get; init; }

    /// <summary><c>--kubelet-client-certificate</c>/<c>-key</c>, when given: replaces <see cref="TlsSettings.ClientCertificate"/>.</summary>
    public ReloadableFiles<X509Certificate2>? ClientCertificateFiles { get; init; }

    /// <summary>Throws <see cref="InvalidDataException"/> when a file named by a flag cannot be read or parsed.</summary>
    public static KubeletCredentials From(KubeConnection? connection, KubeletClientOptions options)
    {
        if (options.CompletelyInsecure)
            return None;
        var tls = connection?.Tls ?? TlsSettings.Default;
        // The API server's tls-server-name is not carried over: kubelets are verified against the dialled address.
        tls = tls with { ServerName = null };
        if (options.InsecureTls)
            return new KubeletCredentials(tls with { CaCertificates = null, SkipVerify = true }, connection?.Token) { ClientCertificateFiles = ClientFiles(options) };
        return new KubeletCredentials(tls, connection?.Token)
        {
            CaFile = options.CaFile is { Length: > 0 } caFile ? CertificateBundle.Reloadable("kubelet CA", caFile) : null,
            ClientCertificateFiles = ClientFiles(options),
        };
    }

    /// <summary>Checks the flag-named files every <paramref name="interval"/>.</summary>
    public void StartReloading(TimeProvider time, TimeSpan interval, ILogger logger)
    {
        CaFile?.Start(time, interval, logger);
        ClientCertificateFiles?.Start(time, interval, logger);
    }

    /// <summary>Fills the handler's TLS options; with reloadable files, per-handshake callbacks read their current values.</summary>
    public void Apply(SslClientAuthenticationOptions ssl)
    {
        Tls.Apply(ssl);
        if (CaFile is { } ca && !Tls.SkipVerify)
        {
            ssl.CertificateChainPolicy = null;
            ssl.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => PrivateCaValidation.IsTrusted(certificate, chain, errors, ca.Current);
        }
        if (ClientCertificateFiles is { } client)
        {
            ssl.ClientCertificates = null;
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => client.Current;
        }
    }

    public void Dispose()
    {
        CaFile?.Dispose();
        ClientCertificateFiles?.Dispose();
    }

    private static ReloadableFiles<X509Certificate2>? ClientFiles(KubeletClientOptions options) =>
        options.ClientCertificateFile is { Length: > 0 } certFile && options.ClientKeyFile is { Length: > 0 } keyFile
            ? new ReloadableFiles<X509Certificate2>("kubelet client certificate", [certFile, keyFile],
                static files => X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(files[0]), Encoding.UTF8.GetString(files[1])))
            : null;
}
