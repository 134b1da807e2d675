using TinyMetrics.Discovery;

namespace TinyMetrics.Storage;

/// <summary>
/// A servable pod. <see cref="TimestampNs"/> and <see cref="WindowNs"/> are those of the container
/// with the earliest timestamp; both are 0 when every container's rate failed (served as
/// <c>"timestamp":null,"window":"0s","containers":[]</c>, as upstream does).
/// </summary>
public sealed record PodMetricsValue(string Namespace, string Name, LabelSet Labels, long TimestampNs, long WindowNs, ContainerMetricsValue[] Containers);
