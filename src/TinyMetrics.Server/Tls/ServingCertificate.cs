using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Tls;

/// <summary>
/// The HTTPS serving certificate: the given --tls-cert-file/--tls-private-key-file, else the pair
/// in --cert-dir (apiserver.crt/apiserver.key), generated self-signed for localhost and 127.0.0.1
/// when absent, as metrics-server does. Either pair is re-read while serving (<see cref="ServingIdentity.Reloadable"/>).
/// </summary>
internal static class ServingCertificate
{
    /// <summary>The certificate and key files to serve with, generating the --cert-dir pair when needed.</summary>
    public static (string CertFile, string KeyFile) Resolve(string? certFile, string? keyFile, string certDir, TimeProvider time, out bool generated)
    {
        generated = false;
        var hasCert = !string.IsNullOrEmpty(certFile);
        if (hasCert != !string.IsNullOrEmpty(keyFile))
            throw new InvalidDataException("--tls-cert-file and --tls-private-key-file must be given together");
        if (hasCert)
            return (certFile!, keyFile!);

        var crt = Path.Combine(certDir, "apiserver.crt");
        var key = Path.Combine(certDir, "apiserver.key");
        if (File.Exists(crt) && File.Exists(key))
            return (crt, key);

        Generate(crt, key, time.GetUtcNow());
        generated = true;
        return (crt, key);
    }

    private static void Generate(string crtPath, string keyPath, DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(crtPath)!);
        var stamp = now.ToUnixTimeSeconds();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=localhost-ca@{stamp}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=localhost@{stamp}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var leaf = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), serial);

        File.WriteAllText(crtPath, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        // The key is created 0600 from the first byte, never readable by others even briefly.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var writer = new StreamWriter(keyPath, options);
        writer.Write(key.ExportECPrivateKeyPem() + "\n");
    }
}
