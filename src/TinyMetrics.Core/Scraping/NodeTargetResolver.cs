using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using TinyMetrics.Discovery;

namespace TinyMetrics.Scraping;

/// <summary>Turns a node into its kubelet URL, as metrics-server's pkg/utils/address_resolver.go and client.go.</summary>
public sealed class NodeTargetResolver
{
    public const string DefaultPath = "/metrics/resource";

    /// <summary>The Summary API as metrics-server 0.5 asked for it: CPU and memory only, not the volume and network stats.</summary>
    public const string SummaryPath = "/stats/summary?only_cpu_and_memory=true";

    private readonly ScrapeOptions _options;
    private readonly string _noMatchError;

    public NodeTargetResolver(ScrapeOptions options)
    {
        _options = options;
        _noMatchError = $"no address matched types [{string.Join(' ', options.PreferredAddressTypes)}]";
    }

    /// <param name="summary">the Summary API instead of the resource metrics path (the node's annotation does not move it).</param>
    public bool TryResolve(NodeInfo node, [NotNullWhen(true)] out Uri? url, [NotNullWhen(false)] out string? error, bool summary = false)
    {
        url = null;
        if (!TryGetAddress(node, out var address))
        {
            error = _noMatchError;
            return false;
        }
        var port = _options.UseNodeStatusPort && node.KubeletPort != 0 ? node.KubeletPort : _options.KubeletPort;
        var path = summary ? SummaryPath : node.MetricsPath is { Length: > 0 } custom ? custom : DefaultPath;
        if (path[0] != '/')
            path = "/" + path;
        var host = address.Contains(':') ? "[" + address + "]" : address;
        var scheme = _options.PlainHttp ? "http" : "https";
        if (!Uri.TryCreate(string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{port}{path}"), UriKind.Absolute, out url))
        {
            error = $"invalid kubelet URL for address {address}";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>The first address of the first preferred type that the node has.</summary>
    public bool TryGetAddress(NodeInfo node, out string address)
    {
        foreach (var type in _options.PreferredAddressTypes)
        {
            foreach (var candidate in node.Addresses)
            {
                if (candidate.Type == type)
                {
                    address = candidate.Address;
                    return true;
                }
            }
        }
        address = "";
        return false;
    }
}
