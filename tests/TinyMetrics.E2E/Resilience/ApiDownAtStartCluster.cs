namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// An <see cref="ApiFaultCluster"/> whose API answers 503 to tinymetrics from before it starts; tinymetrics is told to
/// tolerate the failed authentication ConfigMap lookup (without that flag it exits at start, as metrics-server does).
/// </summary>
public sealed class ApiDownAtStartCluster : ApiFaultCluster
{
    protected override string FirstAddress => "127.97.1.1";

    protected override IEnumerable<string> ExtraServerArgs => ["--authentication-tolerate-lookup-failure=true"];

    protected override bool WaitsUntilServing => false;

    protected override async Task BeforeServerStartAsync()
    {
        await SetApiFaultAsync("unavailable");
        await SetReviewFaultAsync("unavailable");
    }
}
