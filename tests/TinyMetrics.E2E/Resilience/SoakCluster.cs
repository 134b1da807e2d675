using System.Globalization;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// The soak's cluster, sized by the environment so that one test is both the bounded CI run and <c>make soak</c>:
/// <c>TINYMETRICS_SOAK_MINUTES</c> (1), <c>TINYMETRICS_SOAK_NODES</c> (30), <c>TINYMETRICS_SOAK_PODS</c> (5 per node),
/// <c>TINYMETRICS_SOAK_RESOLUTION</c> and <c>TINYMETRICS_SOAK_TIMEOUT</c> (10s and 5s, the other E2E clusters'; make soak
/// uses upstream's 15s and 10s). Nodes are in name order and split into three roles: the first twentieth have their
/// kubelets broken and mended, the next twentieth have their pods (and themselves) deleted and re-created, and the
/// rest stay untouched, so each of them must be in every answer.
/// </summary>
public sealed class SoakCluster : LocalCluster
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(Setting("TINYMETRICS_SOAK_MINUTES", 1));

    public static readonly int Nodes = (int)Setting("TINYMETRICS_SOAK_NODES", 30);

    public static readonly int Pods = (int)Setting("TINYMETRICS_SOAK_PODS", 5);

    public static readonly string Resolution = Environment.GetEnvironmentVariable("TINYMETRICS_SOAK_RESOLUTION") ?? "10s";

    public static readonly string Timeout = Environment.GetEnvironmentVariable("TINYMETRICS_SOAK_TIMEOUT") ?? "5s";

    /// <summary>Nodes [0, FaultNodes) get kubelet faults; [FaultNodes, FaultNodes + ChurnNodes) churn; the rest are stable.</summary>
    public static int FaultNodes => Math.Max(2, Nodes / 20);

    public static int ChurnNodes => Math.Max(2, Nodes / 20);

    protected override string FirstAddress => "127.87.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => Pods;

    protected override IEnumerable<string> ExtraServerArgs => [$"--metric-resolution={Resolution}", $"--kubelet-request-timeout={Timeout}"];

    // Thousands of kubelets' first handshakes on a shared machine: more room than the small clusters need.
    protected override TimeSpan ServingTimeout => TimeSpan.FromSeconds(Math.Max(90, Nodes / 10));

    private static double Setting(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
