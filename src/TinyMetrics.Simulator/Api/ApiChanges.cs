namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Which of the simulated cluster's nodes and pods the API currently shows, and the log of deletions and
/// re-creations since start that watches replay. The cluster itself stays immutable: a "deleted" pod is only hidden
/// from the API (its kubelet still reports it, as a kubelet does until it has torn the pod down), so a client must
/// follow the API's view. Each change takes the next resourceVersion.
/// </summary>
internal sealed class ApiChanges
{
    private readonly Lock _gate = new();
    private readonly bool[] _nodeDeleted;
    private readonly bool[] _podDeleted;
    private readonly List<ApiChange> _log = [];
    private long _current;
    private long _floor;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ApiChanges(int nodes, int pods, long resourceVersion)
    {
        _nodeDeleted = new bool[nodes];
        _podDeleted = new bool[pods];
        _current = resourceVersion;
        _floor = resourceVersion;
    }

    public long Current
    {
        get
        {
            lock (_gate)
                return _current;
        }
    }

    /// <summary>Completes at the next change; load it before reading <see cref="Since"/>, so no change falls between.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
                return _changed.Task;
        }
    }

    public bool IsNodeDeleted(int index) => Volatile.Read(ref _nodeDeleted[index]);

    public bool IsPodDeleted(int index) => Volatile.Read(ref _podDeleted[index]);

    /// <summary>Deletes (or re-creates) one object; false when it already was in that state.</summary>
    public bool Set(bool node, int index, bool deleted)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            var flags = node ? _nodeDeleted : _podDeleted;
            if (flags[index] == deleted)
                return false;
            Volatile.Write(ref flags[index], deleted);
            _log.Add(new ApiChange(++_current, node, index, deleted));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.SetResult();
        return true;
    }

    /// <summary>Moves the resourceVersion on with no event: every older one is now too old to watch from (410 Gone).</summary>
    public void Expire()
    {
        lock (_gate)
            _floor = ++_current;
    }

    /// <summary>
    /// The changes after <paramref name="resourceVersion"/> up to now, or null when it is older than the oldest
    /// version a watch may start from.
    /// </summary>
    public ApiChange[]? Since(long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion < _floor)
                return null;
            var start = _log.FindIndex(c => c.ResourceVersion > resourceVersion);
            return start < 0 ? [] : [.. _log.GetRange(start, _log.Count - start)];
        }
    }
}
