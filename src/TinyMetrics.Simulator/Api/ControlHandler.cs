using TinyMetrics.Simulator.Kubelets;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Fault injection for tests, admin only: <c>POST /simulator/nodes/NAME/mode?value=normal|hang|garbage|error500|huge|counter-reset</c>,
/// <c>GET</c> of the same path, <c>POST /simulator/watches/expire</c> (every open watch ends with 410 Gone), and
/// <c>POST /simulator/tokens?user=U&amp;group=G&amp;ttlSeconds=N</c> (answers a new bearer token that expires after N seconds),
/// <c>POST /simulator/policy/{grant,revoke}?user=U</c> (SubjectAccessReview allows or denies U from now on) and
/// <c>POST /simulator/certificates/{front-proxy,kubelets}?phase=add|switch|drop</c> (see <see cref="CertificateRotationHandler"/>).
/// </summary>
internal sealed class ControlHandler
{
    private readonly ApiState _state;

    public ControlHandler(ApiState state) => _state = state;

    public async Task HandleAsync(HttpContext context, Caller caller, string[] segments)
    {
        if (!caller.IsAdmin)
        {
            await ApiResponses.StatusAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                $"User \"{caller.User}\" cannot use the simulator control endpoint");
            return;
        }
        var method = context.Request.Method;
        if (segments is ["simulator", "watches", "expire"] && HttpMethods.IsPost(method))
        {
            _state.ExpireWatches();
            await context.Response.WriteAsync("expired\n", context.RequestAborted);
            return;
        }
        if (segments is ["simulator", "tokens"] && HttpMethods.IsPost(method))
        {
            await IssueTokenAsync(context);
            return;
        }
        if (segments is ["simulator", "policy", "grant" or "revoke"] && HttpMethods.IsPost(method))
        {
            await ChangePolicyAsync(context, grant: segments[2] == "grant");
            return;
        }
        if (segments is ["simulator", "certificates", "front-proxy" or "kubelets"] && HttpMethods.IsPost(method))
        {
            await CertificateRotationHandler.HandleAsync(context, _state, segments[2]);
            return;
        }
        if (segments is not ["simulator", "nodes", var name, "mode"])
        {
            await ApiResponses.PathNotFoundAsync(context);
            return;
        }
        if (!_state.Cluster.NodesByName.TryGetValue(name, out var node))
        {
            await ApiResponses.NotFoundAsync(context, "nodes", name);
            return;
        }
        if (HttpMethods.IsPost(method) || HttpMethods.IsPut(method))
        {
            if (!KubeletModes.TryParse(context.Request.Query["value"], out var mode))
            {
                await ApiResponses.BadRequestAsync(context, "value must be one of normal, hang, garbage, error500, huge, counter-reset");
                return;
            }
            _state.Modes.Set(node.Index, mode);
        }
        await context.Response.WriteAsync(KubeletModes.Name(_state.Modes.Get(node.Index)) + "\n", context.RequestAborted);
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
