using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// A small cluster of its own whose tinymetrics is the linux-arm64 binary under qemu-user: the arm64 libc and OpenSSL
/// come from Debian multiarch (`make deps-platforms`). Emulation is slow, so the cluster is two nodes.
/// </summary>
public sealed class Arm64Cluster : LocalCluster
{
    protected override string FirstAddress => "127.85.0.1";

    protected override int SimulatedNodes => 2;

    protected override int SimulatedPodsPerNode => 3;

    // Under qemu-user the runtime starts and translates code many times slower, more so while the other tests load both cores.
    protected override TimeSpan ServingTimeout => TimeSpan.FromSeconds(300);

    protected override Task<BoundedProcess> StartServerAsync(IReadOnlyList<string> arguments) =>
        Task.FromResult(BoundedProcess.Start(Artifacts.Tool("qemu-aarch64"), [Artifacts.Arm64ServerBinary, .. arguments]));
}
