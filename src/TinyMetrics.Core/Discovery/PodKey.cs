namespace TinyMetrics.Discovery;

public readonly record struct PodKey(string Namespace, string Name);
