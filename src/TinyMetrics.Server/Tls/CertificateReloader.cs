using TinyMetrics.Kube;

namespace TinyMetrics.Tls;

/// <summary>
/// The serving certificate and key files, re-read while serving: each new TLS handshake takes
/// <see cref="Current"/>; connections already open keep the certificate they were made with.
/// Replaced identities are not disposed: an open connection may still use one, and rotations are rare.
/// </summary>
public sealed class CertificateReloader : IDisposable
{
    private readonly ReloadableFiles<ServingIdentity> _files;

    /// <summary>Loads the pair now; a pair that does not load throws <see cref="InvalidDataException"/>.</summary>
    /// <param name="name">What the pair is, for messages ("serving certificate", "SNI certificate").</param>
    public CertificateReloader(string certFile, string keyFile, string name = "serving certificate")
    {
        CertFile = certFile;
        KeyFile = keyFile;
        _files = new ReloadableFiles<ServingIdentity>(name, [certFile, keyFile], ServingIdentity.Parse);
    }

    /// <summary>Raised after a new pair is in use.</summary>
    public event Action<ServingIdentity>? Changed
    {
        add => _files.Changed += value;
        remove => _files.Changed -= value;
    }

    public string CertFile { get; }

    public string KeyFile { get; }

    public ServingIdentity Current => _files.Current;

    public void Start(TimeProvider time, TimeSpan interval, ILogger logger) => _files.Start(time, interval, logger);

    /// <summary>Re-reads the files now; true when a new certificate is in use.</summary>
    public bool Check() => _files.Check();

    public void Dispose() => _files.Dispose();
}
