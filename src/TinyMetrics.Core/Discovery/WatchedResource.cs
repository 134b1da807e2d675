namespace TinyMetrics.Discovery;

/// <summary>One collection to list and watch: its path, optional field selector and Accept headers.</summary>
internal sealed record WatchedResource(string Name, string Path, string? FieldSelector, string ListAccept, string WatchAccept)
{
    public const string Json = "application/json";

    public static readonly WatchedResource Nodes = new("nodes", "/api/v1/nodes", null, Json, Json);

    // Metadata-only: a Pod's spec and status are never transferred or decoded.
    public static readonly WatchedResource RunningPods = new(
        "pods",
        "/api/v1/pods",
        "status.phase=Running",
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json");

    public string SelectorQuery => FieldSelector is null ? "" : "&fieldSelector=" + Uri.EscapeDataString(FieldSelector);
}
