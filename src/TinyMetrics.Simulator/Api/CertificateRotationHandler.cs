using TinyMetrics.Simulator.Certificates;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// <c>POST /simulator/certificates/{front-proxy,kubelets}?phase=add|switch|drop</c>: one rotation step, answered with
/// one line of text, or 409 with a Status when the previous step has not happened.
/// </summary>
internal static class CertificateRotationHandler
{
    public static async Task HandleAsync(HttpContext context, ApiState state, string target)
    {
        if (!RotatingCa.TryParse(context.Request.Query["phase"], out var phase))
        {
            await ApiResponses.BadRequestAsync(context, "phase must be one of add, switch, drop");
            return;
        }
        // Real time, like the certificates created at start: a test's fake clock must not make them expired.
        var now = DateTimeOffset.UtcNow;
        var refusal = target == "front-proxy"
            ? state.Rotation.RotateFrontProxy(phase, now)
            : state.Rotation.RotateKubelets(phase, now);
        if (refusal is not null)
        {
            await ApiResponses.StatusAsync(context, StatusCodes.Status409Conflict, "Conflict", target + " CA rotation: " + refusal);
            return;
        }
        await context.Response.WriteAsync(Done(target, phase) + "\n", context.RequestAborted);
    }

    private static string Done(string target, RotationPhase phase) => (target, phase) switch
    {
        ("front-proxy", RotationPhase.Add) => "front-proxy: new CA trusted beside the old one (front-proxy-ca.crt is a bundle)",
        ("front-proxy", RotationPhase.Switch) => "front-proxy: the aggregation proxy presents the new client certificate",
        ("front-proxy", _) => "front-proxy: only the new CA is trusted",
        (_, RotationPhase.Add) => "kubelets: new CA trusted beside the old one (kubelet-ca.crt is a bundle)",
        (_, RotationPhase.Switch) => "kubelets: every kubelet serves a certificate from the new CA",
        _ => "kubelets: only the new CA is trusted",
    };
}
