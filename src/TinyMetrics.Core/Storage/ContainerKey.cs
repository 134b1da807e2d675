namespace TinyMetrics.Storage;

/// <summary>A stored container; the strings come interned from the parser, so equality usually ends at the reference check.</summary>
internal readonly record struct ContainerKey(string Namespace, string Pod, string Container);
