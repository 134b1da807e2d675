using System.Collections.Concurrent;
using System.Text;

namespace TinyMetrics.Telemetry;

/// <summary>
/// k8s.io/apiserver's request families (<c>pkg/endpoints/metrics</c>): apiserver_request_total,
/// apiserver_request_duration_seconds, apiserver_response_sizes and apiserver_current_inflight_requests, with
/// upstream's names, labels, buckets and [STABLE] help. The label space is small (two resources, three verbs, a
/// few codes and health paths) and each series is created on its first request, then found without allocating;
/// the tables are bounded because a rejected request's path is the client's choice.
/// </summary>
internal sealed class ApiServerMetrics
{
    /// <summary>requestLatencies' buckets, tuned upstream for the API call latency SLO.</summary>
    public static readonly double[] DurationBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    /// <summary>responseSizes' buckets: ExponentialBuckets(1000, 10, 7), 1 kB to 1 GB.</summary>
    public static readonly double[] SizeBuckets = Histogram.ExponentialBuckets(1000, 10, 7);

    private const int MaxSeries = 512;

    private readonly ConcurrentDictionary<(ApiRequestLabels Labels, int Code), Counter> _requests = new();
    private readonly ConcurrentDictionary<ApiRequestLabels, Histogram> _durations = new();
    private readonly ConcurrentDictionary<ApiRequestLabels, Histogram> _sizes = new();

    /// <summary>Records one request; <paramref name="responseBytes"/> counts for GET and LIST only, as upstream's.</summary>
    public void Record(in ApiRequestLabels labels, int code, double seconds, long responseBytes)
    {
        if (PromText.Series(_requests, (labels, code), MaxSeries, static _ => new Counter()) is { } counter)
            Interlocked.Increment(ref counter.Value);
        PromText.Series(_durations, labels, MaxSeries, static _ => new Histogram(DurationBuckets))?.Observe(seconds);
        if (labels.Verb is "GET" or "LIST")
            PromText.Series(_sizes, labels with { DryRun = "" }, MaxSeries, static _ => new Histogram(SizeBuckets))?.Observe(responseBytes);
    }

    /// <summary>A dropped (429) request counts in apiserver_request_total only, as upstream's RecordDroppedRequest.</summary>
    public void RecordDropped(in ApiRequestLabels labels)
    {
        if (PromText.Series(_requests, (labels, 429), MaxSeries, static _ => new Counter()) is { } counter)
            Interlocked.Increment(ref counter.Value);
    }

    /// <summary>The four families in name order; a family without series is left out, as client_golang does.</summary>
    public void WriteTo(StringBuilder output, int readOnlyInFlight, int mutatingInFlight)
    {
        Header(output, "apiserver_current_inflight_requests", "Maximal number of currently used inflight request limit of this apiserver per request kind in last second.", "gauge");
        output.Append("apiserver_current_inflight_requests{request_kind=\"mutating\"} ").Append(mutatingInFlight).Append('\n');
        output.Append("apiserver_current_inflight_requests{request_kind=\"readOnly\"} ").Append(readOnlyInFlight).Append('\n');

        WriteHistograms(output, _durations, "apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.", withDryRun: true);

        var requests = _requests.ToArray();
        if (requests.Length > 0)
        {
            Header(output, "apiserver_request_total",
                "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.", "counter");
            var lines = new string[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                var (labels, code) = requests[i].Key;
                lines[i] = "apiserver_request_total{code=\"" + code.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\","
                    + labels.Render(withDryRun: true) + "} " + Volatile.Read(ref requests[i].Value.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            Array.Sort(lines, StringComparer.Ordinal);
            foreach (var line in lines)
                output.Append(line).Append('\n');
        }

        WriteHistograms(output, _sizes, "apiserver_response_sizes",
            "Response size distribution in bytes for each group, version, verb, resource, subresource, scope and component.", withDryRun: false);
    }

    private static void WriteHistograms(StringBuilder output, ConcurrentDictionary<ApiRequestLabels, Histogram> table, string name, string help, bool withDryRun)
    {
        var series = table.ToArray();
        if (series.Length == 0)
            return;
        Header(output, name, help, "histogram");
        var labels = new string[series.Length];
        for (var i = 0; i < series.Length; i++)
            labels[i] = series[i].Key.Render(withDryRun);
        Array.Sort(labels, series, StringComparer.Ordinal);
        for (var i = 0; i < series.Length; i++)
            series[i].Value.WriteTo(output, name, labels[i]);
    }

    private static void Header(StringBuilder output, string name, string help, string type) =>
        output.Append("# HELP ").Append(name).Append(" [STABLE] ").Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private sealed class Counter
    {
        public long Value;
    }
}

/// <summary>The labels every request family shares; the size family leaves dry_run out.</summary>
internal readonly record struct ApiRequestLabels(
    string Verb, string DryRun, string Group, string Version, string Resource, string Subresource, string Scope, string Component)
{
    /// <summary>Labels in client_golang's order (sorted by name), values escaped; "le" follows for histograms.</summary>
    public string Render(bool withDryRun)
    {
        var text = new StringBuilder(160)
            .Append("component=\"").Append(PromText.Escape(Component)).Append('"');
        if (withDryRun)
            text.Append(",dry_run=\"").Append(PromText.Escape(DryRun)).Append('"');
        return text.Append(",group=\"").Append(PromText.Escape(Group))
            .Append("\",resource=\"").Append(PromText.Escape(Resource))
            .Append("\",scope=\"").Append(PromText.Escape(Scope))
            .Append("\",subresource=\"").Append(PromText.Escape(Subresource))
            .Append("\",verb=\"").Append(PromText.Escape(Verb))
            .Append("\",version=\"").Append(PromText.Escape(Version)).Append('"').ToString();
    }
}
