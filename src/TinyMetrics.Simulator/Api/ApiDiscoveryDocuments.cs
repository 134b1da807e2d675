namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Legacy discovery documents (APIVersions, APIGroupList, APIResourceList). Newer kubectl asks for aggregated
/// discovery first and falls back to these when the response is plain application/json.
/// </summary>
internal static class ApiDiscoveryDocuments
{
    public const string MetricsGroup = "metrics.k8s.io";

    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public static ApiVersions Versions() => new() { ServerAddressByClientCIDRs = [new ServerAddress { ServerAddress_ = "127.0.0.1:443" }] };

    public static ApiGroupList Groups() => new()
    {
        Groups = [Group("authentication.k8s.io", "v1"), Group("authorization.k8s.io", "v1"), MetricsApiGroup(withKind: false)],
    };

    /// <summary>Both versions; v1beta1 preferred because kubectl up to 1.33 knows only that one.</summary>
    public static ApiGroup MetricsApiGroup(bool withKind)
    {
        var group = Group(MetricsGroup, "v1beta1", "v1");
        if (withKind)
        {
            group.Kind = "APIGroup";
            group.ApiVersion = "v1";
        }
        return group;
    }

    public static ApiGroup? GroupByName(string name) => name switch
    {
        "authentication.k8s.io" => WithKind(Group(name, "v1")),
        "authorization.k8s.io" => WithKind(Group(name, "v1")),
        MetricsGroup => MetricsApiGroup(withKind: true),
        _ => null,
    };

    public static ApiResourceList CoreV1() => new()
    {
        GroupVersion = "v1",
        Resources =
        [
            new ApiResource { Name = "configmaps", SingularName = "configmap", Namespaced = true, Kind = "ConfigMap", Verbs = ReadVerbs, ShortNames = ["cm"] },
            new ApiResource { Name = "nodes", SingularName = "node", Kind = "Node", Verbs = ReadVerbs, ShortNames = ["no"] },
            new ApiResource { Name = "pods", SingularName = "pod", Namespaced = true, Kind = "Pod", Verbs = ReadVerbs, ShortNames = ["po"] },
        ],
    };

    public static ApiResourceList? GroupVersion(string groupVersion) => groupVersion switch
    {
        "authentication.k8s.io/v1" => new ApiResourceList
        {
            GroupVersion = groupVersion,
            Resources = [new ApiResource { Name = "tokenreviews", SingularName = "tokenreview", Kind = "TokenReview", Verbs = ["create"] }],
        },
        "authorization.k8s.io/v1" => new ApiResourceList
        {
            GroupVersion = groupVersion,
            Resources = [new ApiResource { Name = "subjectaccessreviews", SingularName = "subjectaccessreview", Kind = "SubjectAccessReview", Verbs = ["create"] }],
        },
        _ => null,
    };

    private static ApiGroup WithKind(ApiGroup group)
    {
        group.Kind = "APIGroup";
        group.ApiVersion = "v1";
        return group;
    }

    private static ApiGroup Group(string name, params string[] versions)
    {
        var list = new GroupVersion[versions.Length];
        for (var i = 0; i < versions.Length; i++)
            list[i] = new GroupVersion { GroupVersion_ = name + "/" + versions[i], Version = versions[i] };
        return new ApiGroup { Name = name, Versions = list, PreferredVersion = list[0] };
    }
}
