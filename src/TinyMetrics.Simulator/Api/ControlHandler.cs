using Microsoft.AspNetCore.Http;
using TinyMetrics.Simulator.Kubelets;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Fault injection for tests, admin only: <c>POST /simulator/nodes/NAME/mode?value=normal|hang|garbage|error500|huge|counter-reset</c>,
/// <c>GET</c> of the same path, and <c>POST /simulator/watches/expire</c> (every open watch ends with 410 Gone).
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
}
