namespace TinyMetrics.Scraping;

/// <summary>
/// Remembers, per node, that its kubelet answered 404 on /metrics/resource, so later cycles go to the Summary API
/// directly instead of paying a failed request each time. Every <see cref="ScrapeOptions.ResourceRetryCycles"/>
/// cycles such a node tries /metrics/resource first again: a kubelet upgraded or restarted with the endpoint
/// comes back to it without a restart of ours. Thread-safe: the scrapes of one cycle run concurrently.
/// </summary>
internal sealed class KubeletSourceTracker
{
    private readonly Dictionary<string, Entry> _summaryNodes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _retryCycles;
    private int _cycle;

    public KubeletSourceTracker(int retryCycles) => _retryCycles = Math.Max(1, retryCycles);

    /// <summary>Nodes currently scraped through the Summary API.</summary>
    public int SummaryNodes
    {
        get
        {
            lock (_lock)
                return _summaryNodes.Count;
        }
    }

    /// <summary>Called between cycles; forgets nodes not scraped for two cycles (deleted, or no longer selected).</summary>
    public void BeginCycle()
    {
        lock (_lock)
        {
            _cycle++;
            foreach (var (node, entry) in _summaryNodes)
            {
                if (_cycle - entry.LastSeenCycle > 2)
                    _summaryNodes.Remove(node);
            }
        }
    }

    /// <summary>True when the node goes straight to the Summary API this cycle.</summary>
    public bool UseSummary(string node)
    {
        lock (_lock)
        {
            if (!_summaryNodes.TryGetValue(node, out var entry))
                return false;
            _summaryNodes[node] = entry with { LastSeenCycle = _cycle };
            return (_cycle - entry.SinceCycle) % _retryCycles != 0;
        }
    }

    /// <summary>The node's /metrics/resource answered 404; true when it was not known as such (worth one log line).</summary>
    public bool MarkSummary(string node)
    {
        lock (_lock)
        {
            if (_summaryNodes.TryGetValue(node, out var entry))
            {
                _summaryNodes[node] = entry with { LastSeenCycle = _cycle };
                return false;
            }
            _summaryNodes[node] = new Entry(_cycle, _cycle);
            return true;
        }
    }

    /// <summary>The node's /metrics/resource answered; true when the node had been on the Summary API.</summary>
    public bool MarkResource(string node)
    {
        lock (_lock)
            return _summaryNodes.Remove(node);
    }

    private readonly record struct Entry(int SinceCycle, int LastSeenCycle);
}
