namespace TinyMetrics.Parsing;

/// <summary>One container's decoded point; the strings are interned, so equal names share one instance.</summary>
public readonly record struct ContainerSample(string Namespace, string Pod, string Container, MetricPoint Point);
