namespace TinyMetrics.Configuration;

/// <summary>
/// One --tls-sni-cert-key value as pflag's NamedCertKey reads it: "cert,key" (names taken from the
/// certificate) or "cert,key:name1,name2" (explicit names, wildcards allowed, e.g. "*.example.com").
/// </summary>
public sealed record NamedCertKey(string CertFile, string KeyFile, string[] Names)
{
    /// <summary>Parses like NamedCertKey.Set; on failure <paramref name="error"/> is upstream's text.</summary>
    public static bool TryParse(string value, out NamedCertKey? result, out string error)
    {
        result = null;
        var colon = value.IndexOf(':');
        var certKey = (colon < 0 ? value : value[..colon]).Trim();
        string[] names = [];
        if (colon >= 0)
        {
            var list = value[(colon + 1)..].Trim();
            if (list.Length == 0)
            {
                error = "empty names list is not allowed";
                return false;
            }
            names = Array.ConvertAll(list.Split(','), static n => n.Trim());
        }
        var files = certKey.Split(',');
        if (files.Length != 2)
        {
            error = "expected comma separated certificate and key file paths";
            return false;
        }
        error = "";
        result = new NamedCertKey(files[0].Trim(), files[1].Trim(), names);
        return true;
    }
}
