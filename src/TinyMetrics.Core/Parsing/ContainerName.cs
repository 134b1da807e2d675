namespace TinyMetrics.Parsing;

/// <summary>The interned labels of one container series, with the interner ids that key it within a parse.</summary>
internal readonly record struct ContainerName(string Namespace, int NamespaceId, string Pod, int PodId, string Container, int ContainerId);
