namespace TinyMetrics.Kube;

/// <summary>
/// Where <see cref="KubeApiClient"/> reports each call, as client-go reports to its tools/metrics adapters:
/// the result per status code, method and host, and the latency up to the response headers per verb and host.
/// Core defines it so the Server's telemetry implements it without Core depending on the Server.
/// </summary>
public interface IRestClientMetrics
{
    /// <param name="method">The HTTP method, e.g. GET.</param>
    /// <param name="host">The server's host[:port], as Go's url.URL.Host.</param>
    /// <param name="statusCode">The response status, or 0 when the call failed without one (client-go's "&lt;error&gt;").</param>
    /// <param name="seconds">Time from sending to the response headers (or the failure).</param>
    void Observe(string method, string host, int statusCode, double seconds);
}
