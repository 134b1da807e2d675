using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Tests;

/// <summary>Reads PEM text (one certificate or a bundle) for assertions.</summary>
public static class Pem
{
    /// <summary>Subjects in file order, comma-separated.</summary>
    public static string Subjects(string pem) => Join(pem, c => c.Subject);

    /// <summary>Issuers in file order, comma-separated.</summary>
    public static string Issuers(string pem) => Join(pem, c => c.Issuer);

    private static string Join(string pem, Func<X509Certificate2, string> select)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        try
        {
            return string.Join(", ", collection.Select(select));
        }
        finally
        {
            foreach (var cert in collection)
                cert.Dispose();
        }
    }
}
