using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TinyMetrics.Kube;

/// <summary>PEM bundles (one or more certificates) as trust anchors; a bundle without a certificate is an error, as in Go.</summary>
public static class CertificateBundle
{
    /// <summary>Parses a bundle read as bytes; throws <see cref="InvalidDataException"/> when it holds no certificate.</summary>
    public static X509Certificate2Collection Parse(ReadOnlySpan<byte> pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(Encoding.UTF8.GetString(pem));
        if (collection.Count == 0)
            throw new InvalidDataException("no PEM certificate found");
        return collection;
    }

    /// <summary>A bundle file re-read when its content changes, named for messages ("kubelet CA").</summary>
    /// <param name="announce">Logs a published reload in upstream's words; null logs the generic line.</param>
    public static ReloadableFiles<X509Certificate2Collection> Reloadable(string name, string path, Action<Microsoft.Extensions.Logging.ILogger>? announce = null) =>
        new(name, [path], static files => Parse(files[0]), announce);
}
