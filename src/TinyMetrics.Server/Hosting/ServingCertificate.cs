using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Hosting;

/// <summary>
/// The HTTPS serving certificate: the given --tls-cert-file/--tls-private-key-file, else the pair
/// in --cert-dir (apiserver.crt/apiserver.key), generated self-signed for localhost and 127.0.0.1
/// when absent, as metrics-server does.
/// </summary>
internal static class ServingCertificate
{
    public static X509Certificate2 Load(string? certFile, string? keyFile, string certDir, TimeProvider time, out bool generated)
    {
        generated = false;
        if (!string.IsNullOrEmpty(certFile) && !string.IsNullOrEmpty(keyFile))
            return LoadPem(certFile, keyFile);

        var crt = Path.Combine(certDir, "apiserver.crt");
        var key = Path.Combine(certDir, "apiserver.key");
        if (File.Exists(crt) && File.Exists(key))
            return LoadPem(crt, key);

        Generate(crt, key, time.GetUtcNow());
        generated = true;
        return LoadPem(crt, key);
    }

    // Kestrel on Linux needs the key in a usable store form; re-importing as PKCS#12 gives it one.
    private static X509Certificate2 LoadPem(string certFile, string keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
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
