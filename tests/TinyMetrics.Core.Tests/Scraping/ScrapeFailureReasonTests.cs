namespace TinyMetrics.Scraping.Tests;

/// <summary>The error texts the kubelet client and scraper produce, each mapped to the reason an operator acts on.</summary>
public class ScrapeFailureReasonTests
{
    [Test]
    [Arguments("request failed, status: \"500 Internal Server Error\"", false, "http_status")]
    [Arguments("response body too large", false, "too_large")]
    [Arguments("decode: invalid sample value", false, "unparsable_body")]
    [Arguments("failed to read response body - unexpected EOF", false, "truncated_body")]
    [Arguments("failed to read response body - Unable to read data from the transport connection: Connection reset by peer.", false, "truncated_body")]
    [Arguments(ScrapeFailureReason.NoSeriesError, false, "no_series")]
    [Arguments("Get \"https://127.0.0.1:10250/metrics/resource\": The SSL connection could not be established, see inner exception. The remote certificate is invalid", false, "tls_verification")]
    [Arguments("Get \"https://127.0.0.1:10250/metrics/resource\": Connection refused (127.0.0.1:10250)", false, "refused")]
    [Arguments("timeout to access kubelet: Get \"https://127.0.0.1:10250/metrics/resource\": context deadline exceeded", true, "timeout")]
    [Arguments("node has no address of the preferred types", false, "no_address")]
    public async Task Classify_ErrorText_Reason(string error, bool timedOut, string expected)
    {
        await Assert.That(ScrapeFailureReason.Classify(error, timedOut)).IsEqualTo(expected);
    }
}
