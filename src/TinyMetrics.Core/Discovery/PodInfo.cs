namespace TinyMetrics.Discovery;

/// <summary>A Running pod as seen through metadata-only list + watch.</summary>
public sealed record PodInfo(string Namespace, string Name, LabelSet Labels);
