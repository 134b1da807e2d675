using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>A small cluster of its own whose simulated kube-apiserver a test breaks on purpose (see the simulator's ApiFaults).</summary>
public class ApiFaultCluster : LocalCluster
{
    protected override string FirstAddress => "127.97.0.1";

    protected override int SimulatedNodes => 5;

    protected override int SimulatedPodsPerNode => 3;

    /// <summary>Makes the resource routes (lists, watches, ConfigMaps) answer <paramref name="value"/>: none, unavailable, hang or slow.</summary>
    public Task SetApiFaultAsync(string value, int delaySeconds = 0) =>
        ControlAsync($"/simulator/faults/api?value={value}" + (delaySeconds > 0 ? $"&delaySeconds={delaySeconds}" : ""));

    /// <summary>Makes TokenReview and SubjectAccessReview answer <paramref name="value"/>: none, unavailable, hang or slow.</summary>
    public Task SetReviewFaultAsync(string value) => ControlAsync($"/simulator/faults/reviews?value={value}");

    /// <summary>Ends every open watch without an event, as a restarting kube-apiserver does.</summary>
    public Task CloseWatchesAsync() => ControlAsync("/simulator/watches/close");

    /// <summary>Ends every open watch with 410 Gone.</summary>
    public Task ExpireWatchesAsync() => ControlAsync("/simulator/watches/expire");
}
