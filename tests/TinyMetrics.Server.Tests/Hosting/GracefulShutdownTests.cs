using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Http;
using TinyMetrics.Security.Tests;
using TinyMetrics.Serving;

namespace TinyMetrics.Hosting.Tests;

/// <summary>
/// The termination sequence on a fake clock: /readyz fails the moment it starts, /livez keeps passing, the host is
/// asked to stop only when the delay has passed (at once with no delay), and a second signal changes nothing.
/// </summary>
public sealed class GracefulShutdownTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CapturingLogger _logger = new();
    private int _stops;

    [Test]
    public async Task Initiate_WithDelay_ReadyzFailsAtOnceAndTheHostStopsOnlyAfterTheDelay()
    {
        var health = new HealthState(new SnapshotCell(), new SyncedCluster(), _time, TimeSpan.FromSeconds(15));
        using var shutdown = Bound(TimeSpan.FromSeconds(4), health);

        shutdown.Initiate();

        await Assert.That(health.NotShuttingDown()).IsNotNull();
        await Assert.That(await HealthAsync(health, "/readyz", "?verbose&exclude=metric-storage-ready"))
            .IsEqualTo((500, "[+]ping ok\n[+]log ok\n[+]poststarthook/max-in-flight-filter ok\n[+]poststarthook/storage-object-count-tracker-hook ok\n"
                + "[+]metric-storage-ready excluded: ok\n[+]metric-informer-sync ok\n[+]metadata-informer-sync ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n"));
        await Assert.That(await HealthAsync(health, "/livez", "")).IsEqualTo((200, "ok"));
        _time.Advance(TimeSpan.FromSeconds(4) - TimeSpan.FromTicks(1));
        await Assert.That(_stops).IsEqualTo(0);
        _time.Advance(TimeSpan.FromTicks(1));
        await Assert.That(_stops).IsEqualTo(1);
        await Assert.That(_logger.Lines.Select(Message))
            .IsEquivalentTo(["5006 [graceful-termination] shutdown event ShutdownInitiated", "5006 [graceful-termination] shutdown event AfterShutdownDelayDuration"]);
    }

    [Test]
    public async Task Initiate_NoDelay_StopsTheHostAtOnce()
    {
        var health = new HealthState(new SnapshotCell(), new SyncedCluster(), _time, TimeSpan.FromSeconds(15));
        using var shutdown = Bound(TimeSpan.Zero, health);

        shutdown.Initiate();

        await Assert.That(_stops).IsEqualTo(1);
        await Assert.That(health.NotShuttingDown()).IsNotNull();
    }

    [Test]
    public async Task Initiate_SecondSignalDuringTheDelay_ChangesNothing()
    {
        var health = new HealthState(new SnapshotCell(), new SyncedCluster(), _time, TimeSpan.FromSeconds(15));
        using var shutdown = Bound(TimeSpan.FromSeconds(4), health);

        shutdown.Initiate();
        _time.Advance(TimeSpan.FromSeconds(1));
        shutdown.Initiate();
        await Assert.That(_stops).IsEqualTo(0);
        _time.Advance(TimeSpan.FromSeconds(3));
        shutdown.Initiate();

        await Assert.That(_stops).IsEqualTo(1);
        await Assert.That(_logger.Lines.Count).IsEqualTo(2);
    }

    [Test]
    public async Task Exiting_LogsUpstreamsLastLine()
    {
        using var shutdown = Bound(TimeSpan.Zero, new HealthState(new SnapshotCell(), new SyncedCluster(), _time, TimeSpan.FromSeconds(15)));

        shutdown.Exiting();

        await Assert.That(_logger.Lines.Select(Message)).IsEquivalentTo(["5007 [graceful-termination] apiserver is exiting"]);
    }

    private GracefulShutdown Bound(TimeSpan delay, HealthState health)
    {
        var shutdown = new GracefulShutdown(delay, _time);
        shutdown.Bind(() => Interlocked.Increment(ref _stops), health.ShutdownStarted, _logger);
        return shutdown;
    }

    // "id level message exception": the id and the message.
    private static string Message(string line)
    {
        var parts = line.Split(' ', 3);
        return parts[0] + " " + parts[2].TrimEnd();
    }

    private static async Task<(int, string)> HealthAsync(HealthState health, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;
        await new HealthEndpoints(health).HandleAsync(context, RequestInfo.Of(context));
        return (context.Response.StatusCode, Encoding.UTF8.GetString(body.ToArray()));
    }

    private sealed class SyncedCluster : IClusterViewSource
    {
        public ClusterView Current { get; } = new(ClusterView.Empty.Nodes, ClusterView.Empty.Pods, nodesSynced: true, podsSynced: true);

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
