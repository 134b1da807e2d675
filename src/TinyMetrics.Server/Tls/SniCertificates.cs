using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Configuration;
using TinyMetrics.Kube;

namespace TinyMetrics.Tls;

/// <summary>
/// --tls-sni-cert-key: serving certificates chosen by the name the client asks for, as the Go
/// apiserver's named-certificate map: names come from the flag, else from the certificate's CN and DNS
/// SANs (never IPs: SNI cannot carry one); explicit names beat extracted ones, earlier flags beat later
/// ones, an exact name beats a wildcard. Each pair is reloaded like the default serving certificate.
/// </summary>
internal sealed class SniCertificates : IDisposable
{
    private readonly ReloadableFiles<ServingIdentity>[] _pairs;
    private readonly string[][] _explicitNames;
    private volatile Dictionary<string, ReloadableFiles<ServingIdentity>> _byName;

    private SniCertificates(ReloadableFiles<ServingIdentity>[] pairs, string[][] explicitNames)
    {
        _pairs = pairs;
        _explicitNames = explicitNames;
        _byName = BuildMap();
    }

    /// <summary>Loads every pair now; null when the flag is not given. A pair that does not load throws <see cref="InvalidDataException"/>.</summary>
    public static SniCertificates? Create(NamedCertKey[] entries)
    {
        if (entries.Length == 0)
            return null;
        var pairs = new ReloadableFiles<ServingIdentity>[entries.Length];
        var names = new string[entries.Length][];
        for (var i = 0; i < entries.Length; i++)
        {
            pairs[i] = ServingIdentity.Reloadable(entries[i].CertFile, entries[i].KeyFile, "SNI certificate", "sni-serving-cert");
            names[i] = Array.ConvertAll(entries[i].Names, Normalize);
        }
        return new SniCertificates(pairs, names);
    }

    public void Start(TimeProvider time, TimeSpan interval, ILogger logger)
    {
        foreach (var pair in _pairs)
        {
            // A rotated certificate may name other hosts.
            pair.Changed += _ => _byName = BuildMap();
            pair.Start(time, interval, logger);
        }
    }

    /// <summary>The identity for <paramref name="serverName"/>, or null to use the default serving certificate.</summary>
    public ServingIdentity? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
            return null;
        var map = _byName;
        var name = Normalize(serverName);
        if (map.TryGetValue(name, out var exact))
            return exact.Current;
        // Go's getCertificate: replace labels from the left with "*" until a name matches.
        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = "*";
            if (map.TryGetValue(string.Join('.', labels), out var wildcard))
                return wildcard.Current;
        }
        return null;
    }

    public void Dispose()
    {
        foreach (var pair in _pairs)
            pair.Dispose();
    }

    private Dictionary<string, ReloadableFiles<ServingIdentity>> BuildMap()
    {
        var map = new Dictionary<string, ReloadableFiles<ServingIdentity>>(StringComparer.Ordinal);
        // Backwards, so earlier entries overwrite later ones; explicit names last, so they overwrite extracted ones.
        for (var i = _pairs.Length - 1; i >= 0; i--)
        {
            if (_explicitNames[i].Length > 0)
                continue;
            foreach (var name in ExtractedNames(_pairs[i].Current.Certificate))
                map[name] = _pairs[i];
        }
        for (var i = _pairs.Length - 1; i >= 0; i--)
        {
            foreach (var name in _explicitNames[i])
                map[name] = _pairs[i];
        }
        return map;
    }

    private static List<string> ExtractedNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.IsNullOrEmpty(commonName))
            names.Add(Normalize(commonName));
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var dns in san.EnumerateDnsNames())
                    names.Add(Normalize(dns));
            }
        }
        return names;
    }

    private static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
