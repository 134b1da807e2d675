namespace TinyMetrics.Scraping;

/// <summary>
/// The HTTP requests one node's scrape sent, per endpoint: its status code, 0 when the endpoint was not asked,
/// <see cref="NoResponse"/> when it was asked and no status came back (refused, TLS, timeout). A node that falls back
/// to the Summary API sends two: a 404 on /metrics/resource, then /stats/summary.
/// </summary>
public readonly record struct KubeletRequests(short Resource, short Summary)
{
    public const short NoResponse = -1;

    /// <summary>This value with the request to one endpoint recorded; a status of 0 or less is <see cref="NoResponse"/>.</summary>
    public KubeletRequests With(bool summary, int status)
    {
        var code = status > 0 ? (short)status : NoResponse;
        return summary ? this with { Summary = code } : this with { Resource = code };
    }
}
