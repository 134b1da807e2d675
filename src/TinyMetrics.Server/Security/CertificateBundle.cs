using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Security;

/// <summary>Reads PEM bundles (one or more certificates) as trust anchors.</summary>
public static class CertificateBundle
{
    public static X509Certificate2Collection Load(string path)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        if (collection.Count == 0)
            throw new InvalidDataException($"no PEM certificate found in {path}");
        return collection;
    }
}
