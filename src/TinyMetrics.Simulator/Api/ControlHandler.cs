using TinyMetrics.Simulator.Kubelets;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Fault injection for tests, admin only: <c>POST /simulator/nodes/NAME/mode?value=normal|hang|garbage|error500|huge|slow|refuse|no-series|counter-reset</c>,
/// <c>GET</c> of the same path, <c>POST /simulator/nodes/NAME/summary-only?value=true|false</c> (see <see cref="SummaryOnlyKubelets"/>), <c>POST /simulator/watches/expire</c> (every open watch ends with 410 Gone),
/// <c>POST /simulator/watches/close</c> (every open watch just ends, as when kube-apiserver restarts),
/// <c>POST /simulator/nodes/NAME/{delete,create}</c> and <c>POST /simulator/pods/NS/NAME/{delete,create}</c> (the API hides the object
/// or shows it again, with a watch event; see <see cref="ApiChanges"/>),
/// <c>POST /simulator/faults/{api,reviews}?value=none|unavailable|slow|hang[&amp;delaySeconds=N]</c> (see <see cref="ApiFaults"/>),
/// <c>POST /simulator/tokens?user=U&amp;group=G&amp;ttlSeconds=N</c> (answers a new bearer token that expires after N seconds),
/// <c>POST /simulator/policy/{grant,revoke}?user=U</c> (SubjectAccessReview allows or denies U from now on),
/// <c>POST /simulator/policy/slow?user=U&amp;seconds=N</c> (U's SubjectAccessReviews answer after N seconds from now on),
/// <c>POST /simulator/certificates/{front-proxy,kubelets}?phase=add|switch|drop</c> (see <see cref="CertificateRotationHandler"/>) and
/// <c>POST /simulator/pods/NS/NAME/containers/C/restart[?cpuNanoCores=N]</c> (see <see cref="Model.ContainerRestarts"/>).
/// </summary>
internal sealed class ControlHandler
{
    private readonly ApiState _state;

    public ControlHandler(ApiState state) => _state = state;

    public Task HandleAsync(HttpContext context, Caller caller, string[] segments)
    {
        if (!caller.IsAdmin)
        {
            return ApiResponses.StatusAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"User \"{caller.User}\" cannot use the simulator control endpoint");
        }
        var post = HttpMethods.IsPost(context.Request.Method);
        return segments switch
        {
            ["simulator", "watches", "expire"] when post => ExpireWatchesAsync(context),
            ["simulator", "watches", "close"] when post => CloseWatchesAsync(context),
            ["simulator", "faults", "api" or "reviews"] when post => FaultAsync(context, reviews: segments[2] == "reviews"),
            ["simulator", "tokens"] when post => IssueTokenAsync(context),
            ["simulator", "policy", "grant" or "revoke"] when post => ChangePolicyAsync(context, grant: segments[2] == "grant"),
            ["simulator", "policy", "slow"] when post => SlowPolicyAsync(context),
            ["simulator", "certificates", "front-proxy" or "kubelets"] when post => CertificateRotationHandler.HandleAsync(context, _state, segments[2]),
            ["simulator", "pods", var ns, var pod, "containers", var container, "restart"] when post => RestartAsync(context, ns, pod, container),
            ["simulator", "nodes", var name, "mode"] => ModeAsync(context, name),
            ["simulator", "nodes", var name, "delete" or "create"] when post => ChangeNodeAsync(context, name, deleted: segments[3] == "delete"),
            ["simulator", "pods", var ns, var pod, "delete" or "create"] when post => ChangePodAsync(context, ns, pod, deleted: segments[4] == "delete"),
            ["simulator", "nodes", var name, "summary-only"] => SummaryOnlyAsync(context, name),
            ["simulator", "kubelets", "requests"] => KubeletRequestsAsync(context),
            ["simulator", "endpointslices"] when post => EndpointSlicesAsync(context),
            _ => ApiResponses.PathNotFoundAsync(context),
        };
    }

    private async Task ExpireWatchesAsync(HttpContext context)
    {
        _state.ExpireWatches();
        await context.Response.WriteAsync("expired\n", context.RequestAborted);
    }

    // Answers "deleted NAME rv=N", "created NAME rv=N", or "unchanged NAME" when it already was so.
    private async Task ChangeNodeAsync(HttpContext context, string name, bool deleted)
    {
        if (!_state.Cluster.NodesByName.TryGetValue(name, out var node))
        {
            await ApiResponses.NotFoundAsync(context, "nodes", name);
            return;
        }
        await ChangedAsync(context, name, _state.Changes.Set(node: true, node.Index, deleted), deleted);
    }

    private async Task ChangePodAsync(HttpContext context, string ns, string name, bool deleted)
    {
        var index = _state.Cluster.IndexOfPod(ns, name);
        if (index < 0)
        {
            await ApiResponses.NotFoundAsync(context, "pods", name);
            return;
        }
        await ChangedAsync(context, ns + "/" + name, _state.Changes.Set(node: false, index, deleted), deleted);
    }

    private async Task ChangedAsync(HttpContext context, string name, bool changed, bool deleted)
    {
        var text = !changed ? "unchanged " + name
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(deleted ? "deleted" : "created")} {name} rv={_state.ResourceVersion}");
        await context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }

    private async Task CloseWatchesAsync(HttpContext context)
    {
        _state.CloseWatches();
        await context.Response.WriteAsync("closed\n", context.RequestAborted);
    }

    private async Task FaultAsync(HttpContext context, bool reviews)
    {
        var query = context.Request.Query;
        if (!ApiFault.TryParse(query["value"], query["delaySeconds"], out var fault))
        {
            await ApiResponses.BadRequestAsync(context, "value must be one of none, unavailable, hang, slow (with delaySeconds=1..600)");
            return;
        }
        if (reviews)
            _state.Faults.SetReviews(fault);
        else
            _state.Faults.SetResources(fault);
        await context.Response.WriteAsync((reviews ? "reviews " : "api ") + fault + "\n", context.RequestAborted);
    }

    // GET reads the mode back; POST or PUT sets it first.
    private async Task ModeAsync(HttpContext context, string name)
    {
        if (!_state.Cluster.NodesByName.TryGetValue(name, out var node))
        {
            await ApiResponses.NotFoundAsync(context, "nodes", name);
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
        {
            if (!KubeletModes.TryParse(context.Request.Query["value"], out var mode))
            {
                await ApiResponses.BadRequestAsync(context, "value must be one of normal, hang, garbage, error500, huge, slow, refuse, no-series, counter-reset");
                return;
            }
            _state.Modes.Set(node.Index, mode);
        }
        await context.Response.WriteAsync(KubeletModes.Name(_state.Modes.Get(node.Index)) + "\n", context.RequestAborted);
    }

    // GET reads whether the kubelet serves only the Summary API; POST or PUT with value=true|false sets it first.
    private async Task SummaryOnlyAsync(HttpContext context, string name)
    {
        if (!_state.Cluster.NodesByName.TryGetValue(name, out var node))
        {
            await ApiResponses.NotFoundAsync(context, "nodes", name);
            return;
        }
        if (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
        {
            if (!bool.TryParse(context.Request.Query["value"], out var summaryOnly))
            {
                await ApiResponses.BadRequestAsync(context, "value must be true or false");
                return;
            }
            _state.SummaryOnly.Set(node.Index, summaryOnly);
        }
        await context.Response.WriteAsync(_state.SummaryOnly.Get(node.Index) ? "true\n" : "false\n", context.RequestAborted);
    }

    // Answers one line: the new start time (Unix ms) and rate, which the served counters follow from now on.
    private async Task RestartAsync(HttpContext context, string ns, string podName, string containerName)
    {
        if (!_state.Cluster.TryGetPod(ns, podName, out var pod))
        {
            await ApiResponses.NotFoundAsync(context, "pods", podName);
            return;
        }
        var container = Array.Find(pod.Containers, c => c.Name == containerName);
        if (container is null)
        {
            await ApiResponses.BadRequestAsync(context, $"container {containerName} is not valid for pod {podName}");
            return;
        }
        long? cpu = null;
        if (context.Request.Query["cpuNanoCores"] is { Count: > 0 } text)
        {
            if (!long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= 0 || value > 1_000_000_000_000)
            {
                await ApiResponses.BadRequestAsync(context, "cpuNanoCores must be a positive number of nanocores");
                return;
            }
            cpu = value;
        }
        var run = _state.RestartContainer(pod, container, cpu);
        await context.Response.WriteAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"restarted {ns}/{podName}/{containerName} startUnixMs={run.StartUnixNanos / 1_000_000} cpuNanoCores={run.CpuNanoCores}\n"), context.RequestAborted);
    }

    private async Task ChangePolicyAsync(HttpContext context, bool grant)
    {
        var user = context.Request.Query["user"].ToString();
        if (user.Length == 0)
        {
            await ApiResponses.BadRequestAsync(context, "user is required");
            return;
        }
        if (grant)
            _state.Policy.Grant(user);
        else
            _state.Policy.Revoke(user);
        await context.Response.WriteAsync((grant ? "granted " : "revoked ") + user + "\n", context.RequestAborted);
    }

    private async Task SlowPolicyAsync(HttpContext context)
    {
        var user = context.Request.Query["user"].ToString();
        if (user.Length == 0 || !double.TryParse(context.Request.Query["seconds"], System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || seconds is < 0 or > 3600)
        {
            await ApiResponses.BadRequestAsync(context, "user and seconds (0 to 3600) are required");
            return;
        }
        _state.Policy.Delay(user, TimeSpan.FromSeconds(seconds));
        await context.Response.WriteAsync($"reviews of {user} take {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s\n", context.RequestAborted);
    }

    // One line per node: "NAME COUNT", the metrics requests its kubelet answered since start.
    private async Task KubeletRequestsAsync(HttpContext context)
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in _state.Cluster.Nodes)
            text.Append(node.Name).Append(' ').Append(_state.Modes.Requests.Get(node.Index)).Append('\n');
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted);
    }

    // service=NS/NAME&addresses=IP:PORT,...&notReady=IP,...: the Service's slice lists exactly those endpoints.
    private async Task EndpointSlicesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var service = query["service"].ToString().Split('/');
        var endpoints = new List<(string, int)>();
        foreach (var item in query["addresses"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = item.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(item.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port))
            {
                await ApiResponses.BadRequestAsync(context, "addresses are IP:PORT, comma-separated");
                return;
            }
            endpoints.Add((item[..colon].Trim('[', ']'), port));
        }
        if (service.Length != 2 || service[0].Length == 0 || service[1].Length == 0)
        {
            await ApiResponses.BadRequestAsync(context, "service=NAMESPACE/NAME is required");
            return;
        }
        var notReady = new HashSet<string>(query["notReady"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        var version = _state.EndpointSlices.Set(service[0], service[1], endpoints, notReady);
        await context.Response.WriteAsync($"endpointslices {service[0]}/{service[1]} endpoints={endpoints.Count} notReady={notReady.Count} rv={version}\n", context.RequestAborted);
    }

    private static async Task IssueTokenAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var user = query["user"].ToString();
        if (user.Length == 0 || !int.TryParse(query["ttlSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            await ApiResponses.BadRequestAsync(context, "user and a positive ttlSeconds are required");
            return;
        }
        string[] groups = [.. query["group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!), "system:authenticated"];
        var token = IssuedTokens.Issue(new Caller(user, groups), TimeSpan.FromSeconds(seconds), DateTimeOffset.UtcNow);
        await context.Response.WriteAsync(token + "\n", context.RequestAborted);
    }
}
