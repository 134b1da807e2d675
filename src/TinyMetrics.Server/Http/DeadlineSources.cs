namespace TinyMetrics.Http;

/// <summary>
/// Reusable deadline sources for <see cref="RequestDeadline"/>: one <see cref="CancellationTokenSource"/> with its
/// timer per request in flight, handed back after the request and reset with <see cref="CancellationTokenSource.TryReset"/>,
/// so steady-state serving creates no source, timer or registration node. HTTP/2 streams of one connection run at
/// once, so the sources are shared by the whole server rather than kept per connection.
/// </summary>
/// <remarks>
/// A source whose deadline fired cannot be reset (a cancelled token never turns back) and is disposed; the pool
/// keeps at most <c>capacity</c> idle sources, which bounds what a past burst leaves behind.
/// </remarks>
internal sealed class DeadlineSources
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    // Idle sources, none cancelled, none with a running timer; _count of them from index 0, guarded by _gate.
    private readonly CancellationTokenSource?[] _idle;
    private int _count;

    public DeadlineSources(TimeProvider time, int capacity)
    {
        _time = time;
        _idle = new CancellationTokenSource?[capacity];
    }

    /// <summary>A source that cancels after <paramref name="timeout"/> on the server's clock; give it back with <see cref="Return"/>.</summary>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        CancellationTokenSource? source = null;
        lock (_gate)
        {
            if (_count > 0)
            {
                source = _idle[--_count];
                _idle[_count] = null;
            }
        }
        // Created without a delay so the timer comes from the server's TimeProvider and is re-armed in place.
        source ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        source.CancelAfter(timeout);
        return source;
    }

    /// <summary>Takes a source back once nothing uses its token any more: reset for the next request, or disposed.</summary>
    public void Return(CancellationTokenSource source)
    {
        if (source.TryReset())
        {
            lock (_gate)
            {
                if (_count < _idle.Length)
                {
                    _idle[_count++] = source;
                    return;
                }
            }
        }
        source.Dispose();
    }

    /// <summary>How many idle sources wait for a request (tests).</summary>
    public int IdleCount
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }
}
