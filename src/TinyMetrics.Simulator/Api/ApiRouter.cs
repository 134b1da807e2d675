namespace TinyMetrics.Simulator.Api;

/// <summary>
/// The simulated kube-apiserver's handler chain: health paths, bearer-token authentication, the aggregation
/// proxy, then read-only routes for discovery, OpenAPI, nodes, pods, the authentication ConfigMap and the review APIs.
/// </summary>
internal sealed class ApiRouter
{
    private readonly ApiState _state;
    private readonly ResourceHandler _resources;
    private readonly ControlHandler _control;
    private readonly AggregationProxy _proxy;
    private readonly OpenApiAggregator _openApi;

    public ApiRouter(ApiState state, AggregationProxy proxy)
    {
        _openApi = new OpenApiAggregator(proxy);
        _state = state;
        _resources = new ResourceHandler(state);
        _control = new ControlHandler(state);
        _proxy = proxy;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            await context.Response.WriteAsync("ok", context.RequestAborted);
            return;
        }
        var caller = TokenAuthenticator.Authenticate(context.Request);
        if (caller is null)
        {
            await ApiResponses.StatusAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", "Unauthorized");
            return;
        }
        if (AggregationProxy.Handles(path))
        {
            await _proxy.ProxyAsync(context, caller);
            return;
        }
        // kube-apiserver serves these from what it downloaded as the aggregator; forwarding as the aggregator is the same.
        if (OpenApiAggregator.HandlesGroupVersion(path) && HttpMethods.IsGet(context.Request.Method))
        {
            await _proxy.ProxyAsync(context, AggregationProxy.Aggregator);
            return;
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["simulator", ..])
        {
            await _control.HandleAsync(context, caller, segments);
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method))
        {
            if (!caller.IsAdmin && await ApiFaults.ApplyAsync(context, _state.Faults.Reviews))
                return;
            await PostAsync(context, segments);
            return;
        }
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await ApiResponses.StatusAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed",
                "the server does not allow this method on the requested resource");
            return;
        }
        if (!caller.IsAdmin && await ApiFaults.ApplyAsync(context, _state.Faults.Resources))
            return;
        await GetAsync(context, segments);
    }

    private Task GetAsync(HttpContext context, string[] segments)
    {
        var json = ApiJsonContext.Default;
        return segments switch
        {
            ["version"] => ApiResponses.OkAsync(context, new VersionInfo(), json.VersionInfo),
            ["openapi", "v2"] => _openApi.V2Async(context),
            ["openapi", "v3"] => _openApi.V3IndexAsync(context),
            ["api"] => ApiResponses.OkAsync(context, ApiDiscoveryDocuments.Versions(), json.ApiVersions),
            ["api", "v1"] => ApiResponses.OkAsync(context, ApiDiscoveryDocuments.CoreV1(), json.ApiResourceList),
            ["apis"] => ApiResponses.OkAsync(context, ApiDiscoveryDocuments.Groups(), json.ApiGroupList),
            ["apis", var group] when ApiDiscoveryDocuments.GroupByName(group) is { } g => ApiResponses.OkAsync(context, g, json.ApiGroup),
            ["apis", var group, var version] when ApiDiscoveryDocuments.GroupVersion(group + "/" + version) is { } r =>
                ApiResponses.OkAsync(context, r, json.ApiResourceList),
            ["api", "v1", "nodes"] => _resources.ListAsync(context, _state.Nodes, null),
            ["api", "v1", "nodes", var name] => _resources.GetAsync(context, _state.Nodes, null, name),
            ["api", "v1", "pods"] => _resources.ListAsync(context, _state.Pods, null),
            ["api", "v1", "namespaces", var ns, "pods"] => _resources.ListAsync(context, _state.Pods, ns),
            ["api", "v1", "namespaces", var ns, "pods", var name] => _resources.GetAsync(context, _state.Pods, ns, name),
            ["apis", "discovery.k8s.io", "v1", "namespaces", var ns, "endpointslices"] => _state.EndpointSlices.HandleAsync(context, ns, _state.Stopping),
            ["api", "v1", "namespaces", "kube-system", "configmaps", AuthenticationConfigMap.Name] =>
                ApiResponses.OkAsync(context, AuthenticationConfigMap.Create(_state), json.ConfigMap),
            ["api", "v1", "namespaces", _, "configmaps", var name] => ApiResponses.NotFoundAsync(context, "configmaps", name),
            _ => ApiResponses.PathNotFoundAsync(context),
        };
    }

    private Task PostAsync(HttpContext context, string[] segments) => segments switch
    {
        ["apis", "authentication.k8s.io", "v1", "tokenreviews"] => ReviewHandler.TokenReviewAsync(context),
        ["apis", "authorization.k8s.io", "v1", "subjectaccessreviews"] => ReviewHandler.SubjectAccessReviewAsync(context, _state.Policy),
        _ => ApiResponses.StatusAsync(context, StatusCodes.Status405MethodNotAllowed, "MethodNotAllowed",
            "the server does not allow this method on the requested resource"),
    };
}
