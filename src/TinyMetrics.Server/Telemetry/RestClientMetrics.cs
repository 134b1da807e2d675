using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TinyMetrics.Kube;

namespace TinyMetrics.Telemetry;

/// <summary>
/// client-go's rest_client_requests_total and rest_client_request_duration_seconds (component-base
/// <c>metrics/prometheus/restclient</c>) for our own calls to the Kubernetes API: list/watch, TokenReview,
/// SubjectAccessReview and the ConfigMap read. The label space is a handful of hosts, methods and codes; a
/// series is created on its first call and found again without allocating.
/// </summary>
public sealed class RestClientMetrics : IRestClientMetrics
{
    /// <summary>requestLatency's buckets.</summary>
    public static readonly double[] DurationBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

    // Far above what a few kubeconfigs produce; a misbehaving server answering odd codes cannot grow it further.
    private const int MaxSeries = 256;

    private readonly ConcurrentDictionary<(int Code, string Method, string Host), StrongBox> _results = new();
    private readonly ConcurrentDictionary<(string Verb, string Host), Histogram> _latency = new();

    public void Observe(string method, string host, int statusCode, double seconds)
    {
        if (PromText.Series(_results, (statusCode, method, host), MaxSeries, static _ => new StrongBox()) is { } counter)
            Interlocked.Increment(ref counter.Value);
        PromText.Series(_latency, (method, host), MaxSeries, static _ => new Histogram(DurationBuckets))?.Observe(seconds);
    }

    public void WriteTo(StringBuilder output)
    {
        output.Append("# HELP rest_client_request_duration_seconds [ALPHA] Request latency in seconds. Broken down by verb, and host.\n")
            .Append("# TYPE rest_client_request_duration_seconds histogram\n");
        var latency = _latency.ToArray();
        Array.Sort(latency, static (a, b) => Compare(a.Key.Verb, b.Key.Verb, a.Key.Host, b.Key.Host));
        foreach (var (key, histogram) in latency)
            histogram.WriteTo(output, "rest_client_request_duration_seconds", "host=\"" + PromText.Escape(key.Host) + "\",verb=\"" + PromText.Escape(key.Verb) + "\"");

        output.Append("# HELP rest_client_requests_total [ALPHA] Number of HTTP requests, partitioned by status code, method, and host.\n")
            .Append("# TYPE rest_client_requests_total counter\n");
        var results = _results.ToArray();
        Array.Sort(results, static (a, b) => a.Key.Code != b.Key.Code ? a.Key.Code.CompareTo(b.Key.Code) : Compare(a.Key.Method, b.Key.Method, a.Key.Host, b.Key.Host));
        foreach (var (key, counter) in results)
        {
            output.Append("rest_client_requests_total{code=\"").Append(key.Code == 0 ? "<error>" : key.Code.ToString(CultureInfo.InvariantCulture))
                .Append("\",host=\"").Append(PromText.Escape(key.Host)).Append("\",method=\"").Append(PromText.Escape(key.Method)).Append("\"} ")
                .Append(Volatile.Read(ref counter.Value)).Append('\n');
        }
    }

    private static int Compare(string a1, string b1, string a2, string b2)
    {
        var c = string.CompareOrdinal(a1, b1);
        return c != 0 ? c : string.CompareOrdinal(a2, b2);
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
