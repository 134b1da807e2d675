using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Kube;

namespace TinyMetrics.Discovery;

/// <summary>
/// Keeps <see cref="Current"/> up to date from list + watch of all nodes and of Running pods
/// (metadata only). Start <see cref="RunAsync"/> once as a background loop; it returns only when
/// cancelled. Changes are coalesced over <see cref="DiscoveryOptions.CoalesceInterval"/>.
/// </summary>
public sealed class DiscoveryService : IClusterViewSource
{
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NodeCache _nodes;
    private readonly PodCache _pods;
    private readonly ListWatcher<NodeObject, NodeList> _nodeWatcher;
    private readonly ListWatcher<PodObject, PodList> _podWatcher;
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Replaced wholesale by the publish loop; readers keep the instance they loaded.
    private ClusterView _current = ClusterView.Empty;

    // Completed (and replaced) by each publish, after the new view is in place.
    private TaskCompletionSource _published = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DiscoveryService(KubeApiClient api, DiscoveryOptions options, TimeProvider time, ILogger? logger = null)
    {
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _nodes = new NodeCache(Signal);
        _pods = new PodCache(Signal);
        _nodeWatcher = new(api, WatchedResource.Nodes, KubeJsonContext.Default.NodeList, KubeJsonContext.Default.WatchEventNodeObject, _nodes, options, time, _logger);
        _podWatcher = new(api, WatchedResource.RunningPods, KubeJsonContext.Default.PodList, KubeJsonContext.Default.WatchEventPodObject, _pods, options, time, _logger);
    }

    public ClusterView Current => Volatile.Read(ref _current);

    /// <summary>Completes once both the node and the pod lists have been read and published.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public Task WaitForChangeAsync(ClusterView seen, CancellationToken cancellationToken)
    {
        // The signal first: a publish after this read completes it, and one before it has already replaced the view.
        var next = Volatile.Read(ref _published);
        return ReferenceEquals(Current, seen) ? next.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var publisher = PublishLoopAsync(cancellationToken);
        await Task.WhenAll(
            Task.Run(() => _nodeWatcher.RunAsync(cancellationToken), CancellationToken.None),
            Task.Run(() => _podWatcher.RunAsync(cancellationToken), CancellationToken.None),
            publisher).ConfigureAwait(false);
    }

    private void Signal() => _changed.Writer.TryWrite(true);

    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _changed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                // Let a burst of events land before rebuilding; the signal read after the delay covers them all.
                await Task.Delay(_options.CoalesceInterval, _time, cancellationToken).ConfigureAwait(false);
                _changed.Reader.TryRead(out _);
                Publish();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Publish()
    {
        var nodesSynced = _nodes.IsSynced;
        var podsSynced = _pods.IsSynced;
        var nodes = _nodes.Freeze(out var nodesVersion);
        var pods = _pods.Freeze(out var podsVersion);
        var view = new ClusterView(nodes, pods, nodesSynced, podsSynced, nodesVersion, podsVersion);
        Volatile.Write(ref _current, view);
        Interlocked.Exchange(ref _published, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
        _logger.Published(view.Nodes.Count, view.Pods.Count);
        if (nodesSynced && podsSynced)
            _synced.TrySetResult();
    }
}
