namespace TinyMetrics.Discovery;

/// <summary>One entry of a node's <c>status.addresses</c>; <see cref="Type"/> is the Kubernetes name (InternalIP, Hostname, …).</summary>
public readonly record struct NodeAddress(string Type, string Address);
