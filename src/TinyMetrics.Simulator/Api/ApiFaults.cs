namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Faults of the simulated kube-apiserver itself, set at run time by <see cref="ControlHandler"/>: the resource
/// routes (discovery, lists, watches, ConfigMaps) answer 503 or start answering only after a delay, and the
/// review APIs (TokenReview, SubjectAccessReview) answer 503 or never. The admin caller and the control paths are
/// exempt, so a test can still drive the simulator and read through the aggregation proxy while the API is "down".
/// </summary>
internal sealed class ApiFaults
{
    private volatile ApiFault _resources = ApiFault.None;
    private volatile ApiFault _reviews = ApiFault.None;

    public ApiFault Resources => _resources;

    public ApiFault Reviews => _reviews;

    public void SetResources(ApiFault fault) => _resources = fault;

    public void SetReviews(ApiFault fault) => _reviews = fault;

    /// <summary>
    /// Applies <paramref name="fault"/> to one request: true when it has been answered (503) or the client left while
    /// it hung; false when the request goes on, after the fault's delay if any.
    /// </summary>
    public static async Task<bool> ApplyAsync(HttpContext context, ApiFault fault)
    {
        switch (fault.Kind)
        {
            case ApiFaultKind.Unavailable:
                // kube-apiserver's answer while it is not ready, or an LB's when no backend is.
                context.Response.Headers.RetryAfter = "1";
                await ApiResponses.StatusAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                    "the server is currently unable to handle the request");
                return true;
            case ApiFaultKind.Slow:
            case ApiFaultKind.Hang:
                try
                {
                    await Task.Delay(fault.Kind == ApiFaultKind.Hang ? Timeout.InfiniteTimeSpan : fault.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return true;
                }
                return false;
            default:
                return false;
        }
    }
}
