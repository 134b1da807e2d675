using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Certificates;

internal static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes NAME.crt and NAME.key (PKCS#8, 0600).</summary>
    public static void Write(string directory, string name, X509Certificate2 cert)
    {
        File.WriteAllText(Path.Combine(directory, name + ".crt"), cert.ExportCertificatePem());
        using var key = cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("certificate has no ECDSA key");
        WritePrivate(Path.Combine(directory, name + ".key"), key.ExportPkcs8PrivateKeyPem());
    }

    public static void WritePrivate(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
