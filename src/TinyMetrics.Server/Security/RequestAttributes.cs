namespace TinyMetrics.Security;

/// <summary>
/// What a request asks to do, as upstream's RequestInfo: a resource request (verb, group, version,
/// resource, subresource, namespace, name) or a non-resource one (path and lower-cased method).
/// </summary>
internal sealed record RequestAttributes(
    bool IsResourceRequest,
    string Verb,
    string Path,
    string Group = "",
    string Version = "",
    string Resource = "",
    string Subresource = "",
    string Namespace = "",
    string Name = "");
