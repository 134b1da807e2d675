using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TinyMetrics.Kube;

namespace TinyMetrics.Tls;

/// <summary>A parsed serving certificate with its key, and the handshake context (leaf plus intermediates) built once.</summary>
public sealed class ServingIdentity
{
    private readonly X509Certificate2Collection _intermediates;
    private volatile Advertised? _advertised;

    private ServingIdentity(X509Certificate2 certificate, X509Certificate2Collection intermediates, SslStreamCertificateContext context)
    {
        Certificate = certificate;
        _intermediates = intermediates;
        Context = context;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The handshake context that names no client CA.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>
    /// A handshake context whose certificate request names <paramref name="clientCas"/>, as Go's server
    /// does with ClientCAs, so a client holding several certificates can pick the right one. Built once
    /// per CA collection: the collection is replaced, never changed, when the trust changes.
    /// </summary>
    public SslStreamCertificateContext ContextNaming(X509Certificate2Collection clientCas)
    {
        var advertised = _advertised;
        if (advertised is not null && ReferenceEquals(advertised.ClientCas, clientCas))
            return advertised.Context;
        if (OperatingSystem.IsWindows())
            return Context;
        var trust = SslCertificateTrust.CreateForX509Collection(clientCas, sendTrustInHandshake: true);
        var context = SslStreamCertificateContext.Create(Certificate, _intermediates, offline: true, trust);
        _advertised = new Advertised(clientCas, context);
        return context;
    }

    /// <summary>
    /// A certificate and key pair re-read while serving: each new TLS handshake takes its current identity;
    /// connections already open keep the one they were made with. Replaced identities are not disposed: an
    /// open connection may still use one, and rotations are rare. A pair that does not load throws
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    /// <param name="name">What the pair is, for messages ("serving certificate", "SNI certificate").</param>
    /// <param name="purpose">
    /// Upstream's purpose of the pair ("serving-cert", "sni-serving-cert"): a reload logs dynamiccertificates'
    /// "Loaded a new cert/key pair" with its name, purpose::cert::key, as metrics-server does.
    /// </param>
    public static ReloadableFiles<ServingIdentity> Reloadable(string certFile, string keyFile, string name, string purpose)
    {
        var upstreamName = $"{purpose}::{certFile}::{keyFile}";
        return new(name, [certFile, keyFile], Parse, logger => logger.LoadedCertKeyPair(upstreamName));
    }

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
        return new ServingIdentity(leaf, intermediates, context);
    }

    private sealed record Advertised(X509Certificate2Collection ClientCas, SslStreamCertificateContext Context);
}
