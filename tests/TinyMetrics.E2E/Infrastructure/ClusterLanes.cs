namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// The <c>[NotInParallel]</c> keys that bound how many simulator + tinymetrics clusters run at once to three. A cluster
/// is two processes (the simulator's runtime start and certificate generation, then a scrape per node every
/// resolution) whose tests wait on rotations, caches and scrapes; on a two-core machine more beside them and the
/// unconstrained tests (helm, the in-process simulators) make those waits depend on the scheduler.
/// TUnit runs the tests of one key one at a time (in an order of its choosing) and disposes a test's data source
/// before the key passes on, so each lane holds one cluster at a time:
/// <list type="bullet">
/// <item><see cref="Session"/>: the tests of the one <see cref="LocalCluster"/> shared by the session;</item>
/// <item><see cref="Own"/>: tests with a cluster of their own, which they take per test (<c>SharedType.None</c>), so it
/// is gone when the test ends whichever test of the lane comes next;</item>
/// <item><see cref="Platform"/>: the platform classes (arm64 under qemu, IPv6, dual stack, the runtime root file
/// system), each with a cluster per class, alive until the class's last test; those tests wait only for answers, not
/// on rotations or caches, so a second platform cluster alive between them costs time, never a wrong result.</item>
/// </list>
/// A <c>[ParallelLimiter]</c> would bound the tests running, not the clusters alive between a class's tests.
/// </summary>
public static class ClusterLanes
{
    public const string Session = "cluster-lane-session";

    public const string Own = "cluster-lane-own";

    public const string Platform = "cluster-lane-platform";
}
