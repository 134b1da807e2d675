namespace TinyMetrics.Http;

/// <summary>
/// What a request asks to do, as upstream's RequestInfo: a resource request (verb, group, version,
/// resource, subresource, namespace, name) or a non-resource one (path and lower-cased method).
/// These are the attributes a SubjectAccessReview is asked about.
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
    string Name = "")
{
    /// <summary>
    /// A port of RequestInfoFactory.NewRequestInfo (k8s.io/apiserver
    /// <c>pkg/endpoints/request/requestinfo.go</c>) for the prefixes /api (groupless) and /apis.
    /// <paramref name="parts"/> is the path trimmed of '/' and split on '/', empty segments kept, as upstream splits it.
    /// </summary>
    public static RequestAttributes From(string method, string path, string[] parts, IQueryCollection query)
    {
        var nonResource = new RequestAttributes(false, method.ToLowerInvariant(), path);
        if (parts.Length < 3 || parts[0] is not ("api" or "apis"))
            return nonResource;

        var index = 1;
        var group = "";
        if (parts[0] == "apis")
        {
            if (parts.Length < 4)
                return nonResource;
            group = parts[index++];
        }
        var version = parts[index++];
        var verb = "";
        if (index < parts.Length && parts[index] is "watch" or "proxy")
        {
            verb = parts[index++];
            if (index >= parts.Length)
                return nonResource;
        }
        verb = verb.Length > 0 ? verb : VerbOf(method);

        var rest = new ArraySegment<string>(parts, index, parts.Length - index);
        var ns = "";
        if (rest.Count > 0 && rest[0] == "namespaces" && rest.Count > 1)
        {
            ns = rest[1];
            if (rest.Count > 2 && rest[2] is not ("status" or "finalize"))
                rest = rest[2..];
        }
        var resource = rest.Count >= 1 ? rest[0] : "";
        var name = rest.Count >= 2 ? rest[1] : "";
        var subresource = rest.Count >= 3 && verb is not ("proxy" or "watch") ? rest[2] : "";

        if (name.Length == 0 && verb == "get")
        {
            // The list handler's own decoding (ListOptions): first values, and no name when the options fail to decode.
            verb = ListOptions.IsWatch(query) ? "watch" : "list";
            if (ListOptions.IntegersDecode(query) && Selectors.LabelSelector.TryParse(ListOptions.First(query, "labelSelector"), out _, out _))
                name = NameFromFieldSelector(ListOptions.First(query, "fieldSelector"));
        }
        if (name.Length == 0 && verb == "delete")
            verb = "deletecollection";
        return new RequestAttributes(true, verb, path, group, version, resource, subresource, ns, name);
    }

    private static string VerbOf(string method) => method switch
    {
        "POST" => "create",
        "GET" or "HEAD" => "get",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => "delete",
        _ => "",
    };

    private static string NameFromFieldSelector(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
            return "";
        foreach (var term in selector.Split(','))
        {
            var trimmed = term.Trim();
            foreach (var op in (string[])["==", "="])
            {
                if (trimmed.StartsWith("metadata.name" + op, StringComparison.Ordinal))
                {
                    var name = trimmed[("metadata.name" + op).Length..];
                    return IsValidPathSegment(name) ? name : "";
                }
            }
        }
        return "";
    }

    private static bool IsValidPathSegment(string name) =>
        name.Length > 0 && name is not ("." or "..") && !name.Contains('/') && !name.Contains('%');
}
