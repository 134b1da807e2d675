namespace TinyMetrics.Scraping;

/// <summary>
/// Why a node has no metrics, one word per fault an operator fixes differently; the same word is in the
/// log line and in metrics_server_kubelet_scrape_failures{node,reason}.
/// </summary>
public static class ScrapeFailureReason
{
    public const string Refused = "refused";
    public const string Timeout = "timeout";
    public const string TlsVerification = "tls_verification";
    public const string HttpStatus = "http_status";
    public const string UnparsableBody = "unparsable_body";
    public const string TooLarge = "too_large";
    public const string TruncatedBody = "truncated_body";
    public const string NoSeries = "no_series";
    public const string NoAddress = "no_address";

    /// <summary>The error of a well-formed answer that holds no node and no container series.</summary>
    public const string NoSeriesError = "no node or container series in the kubelet's response";

    /// <summary>How a read error of the body (after a 200 and its headers) begins, as upstream's kubelet client says it.</summary>
    public const string BodyReadError = "failed to read response body - ";

    /// <summary>Every reason, in the order /metrics lists them.</summary>
    public static readonly string[] All = [HttpStatus, NoAddress, NoSeries, Refused, Timeout, TlsVerification, TooLarge, TruncatedBody, UnparsableBody];

    public static string Classify(string error, bool timedOut)
    {
        if (timedOut)
            return Timeout;
        if (error == NoSeriesError)
            return NoSeries;
        if (error.StartsWith("request failed, status:", StringComparison.Ordinal))
            return HttpStatus;
        if (error.Contains("too large", StringComparison.Ordinal))
            return TooLarge;
        if (error.StartsWith("decode:", StringComparison.Ordinal))
            return UnparsableBody;
        // The kubelet closed the connection before the declared Content-Length (or the last chunk) arrived.
        if (error.StartsWith(BodyReadError, StringComparison.Ordinal))
            return TruncatedBody;
        if (error.Contains("certificate", StringComparison.OrdinalIgnoreCase) || error.Contains("SSL", StringComparison.Ordinal))
            return TlsVerification;
        if (!error.StartsWith("Get \"", StringComparison.Ordinal))
            return NoAddress;
        return Refused;
    }
}
