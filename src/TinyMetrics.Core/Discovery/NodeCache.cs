namespace TinyMetrics.Discovery;

internal sealed class NodeCache : ObjectCache<NodeObject, string, NodeInfo>
{
    public const string MetricsPathAnnotation = "metrics.k8s.io/resource-metrics-path";

    public NodeCache(Action changed)
        : base(StringComparer.Ordinal, changed)
    {
    }

    public static NodeInfo? ToNodeInfo(NodeObject node)
    {
        var meta = node.Metadata;
        if (meta?.Name is not { Length: > 0 } name)
            return null;
        string? path = null;
        if (meta.Annotations is { } annotations && annotations.TryGetValue(MetricsPathAnnotation, out var value))
            path = value;
        var status = node.Status;
        return new NodeInfo(
            name,
            LabelSet.From(meta.Labels),
            ToAddresses(status?.Addresses),
            status?.DaemonEndpoints?.KubeletEndpoint?.Port ?? 0,
            path,
            IsReady(status?.Conditions));
    }

    protected override bool TryMap(NodeObject item, out string key, out NodeInfo value)
    {
        var info = ToNodeInfo(item);
        key = info?.Name ?? "";
        value = info!;
        return info is not null;
    }

    protected override bool Same(NodeInfo a, NodeInfo b) =>
        a.Name == b.Name
        && a.KubeletPort == b.KubeletPort
        && a.IsReady == b.IsReady
        && a.MetricsPath == b.MetricsPath
        && a.Addresses.AsSpan().SequenceEqual(b.Addresses)
        && a.Labels.ContentEquals(b.Labels);

    private static NodeAddress[] ToAddresses(List<NodeAddressJson>? addresses)
    {
        if (addresses is null || addresses.Count == 0)
            return [];
        var result = new NodeAddress[addresses.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new NodeAddress(addresses[i].Type ?? "", addresses[i].Address ?? "");
        return result;
    }

    private static bool IsReady(List<NodeCondition>? conditions)
    {
        if (conditions is null)
            return false;
        foreach (var condition in conditions)
        {
            if (condition.Type == "Ready")
                return condition.Status == "True";
        }
        return false;
    }
}
