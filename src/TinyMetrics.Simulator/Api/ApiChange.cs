namespace TinyMetrics.Simulator.Api;

/// <summary>One deletion or re-creation of a node or a pod (by its index in the cluster), at its resourceVersion.</summary>
internal readonly record struct ApiChange(long ResourceVersion, bool Node, int Index, bool Deleted);
