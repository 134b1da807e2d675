using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TinyMetrics.Tls;

/// <summary>A parsed serving certificate with its key, and the handshake context (leaf plus intermediates) built once.</summary>
public sealed class ServingIdentity
{
    private ServingIdentity(X509Certificate2 certificate, SslStreamCertificateContext context)
    {
        Certificate = certificate;
        Context = context;
    }

    public X509Certificate2 Certificate { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>
    /// Parses PEM files: files[0] the certificate followed by any intermediates, files[1] its private key.
    /// Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the key does not match.
    /// </summary>
    public static ServingIdentity Parse(byte[][] files)
    {
        var certPem = Encoding.UTF8.GetString(files[0]);
        var keyPem = Encoding.UTF8.GetString(files[1]);
        X509Certificate2 leaf;
        using (var pem = X509Certificate2.CreateFromPem(certPem, keyPem))
        {
            // A PKCS#12 round trip gives the key a form every platform's TLS stack can use.
            leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(certPem);
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < bundle.Count; i++)
            intermediates.Add(bundle[i]);
        bundle[0].Dispose();
        // Offline: the chain is what the files hold; a handshake never waits on a network fetch.
        var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        return new ServingIdentity(leaf, context);
    }
}
