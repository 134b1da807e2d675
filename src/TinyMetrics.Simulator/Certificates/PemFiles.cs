using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// PEM files replaced atomically (a temp file in the same folder, then a rename over the old one), as a Secret
/// volume swaps its files: a reader sees the old content or the new, never half of one.
/// </summary>
internal static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes NAME.crt and NAME.key (PKCS#8, 0600).</summary>
    public static void Write(string directory, string name, X509Certificate2 cert)
    {
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("certificate has no ECDSA key");
        WritePrivate(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
        WriteCertificates(Path.Combine(directory, name + ".crt"), cert.ExportCertificatePem());
    }

    /// <summary>Writes public PEM text (one certificate or a bundle).</summary>
    public static void WriteCertificates(string path, string pem) => Replace(path, pem, privateFile: false);

    public static void WritePrivate(string path, string text) => Replace(path, text, privateFile: true);

    private static void Replace(string path, string text, bool privateFile)
    {
        var temp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (privateFile && !OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        File.Move(temp, path, overwrite: true);
    }
}
