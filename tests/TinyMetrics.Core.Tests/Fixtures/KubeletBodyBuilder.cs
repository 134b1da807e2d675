using System.Globalization;
using System.Text;

namespace TinyMetrics.Fixtures;

/// <summary>
/// Generates kubelet-shaped bodies for N pods across three namespaces, families in name order as the
/// kubelet writes them (so each container appears in three separate families). Deterministic values:
/// pod i, container c has cpu 1.5+i/1000+c s, memory (10+i) MiB + c KiB, timestamps base+i ms.
/// </summary>
internal static class KubeletBodyBuilder
{
    public const long BaseMs = 1_700_000_000_000;

    public static string Namespace(int pod) => $"team-{(char)('a' + (pod % 3))}";

    public static string PodName(int pod) => $"web-{pod:D3}-6d4cf56db6-q{pod % 7}x";

    public static string ContainerName(int container) => container == 0 ? "app" : $"helper-{container}";

    public static byte[] Build(int pods, int containersPerPod = 1, bool startTimes = true, int firstPod = 0, long baseMs = BaseMs)
    {
        var text = new StringBuilder();
        Family(text, "container_cpu_usage_seconds_total", "counter", firstPod, pods, containersPerPod, baseMs,
            (p, c) => (1.5 + (p / 1000.0) + c).ToString("R", CultureInfo.InvariantCulture));
        Family(text, "container_memory_working_set_bytes", "gauge", firstPod, pods, containersPerPod, baseMs,
            (p, c) => (((10 + p) * 1_048_576.0) + (c * 1024)).ToString("0.#######e+00", CultureInfo.InvariantCulture));
        if (startTimes)
            Family(text, "container_start_time_seconds", "gauge", firstPod, pods, containersPerPod, baseMs, (p, _) => $"{1_699_990_000 + p}");
        text.Append("# HELP node_cpu_usage_seconds_total [ALPHA] Cumulative cpu time consumed by the node in core-seconds\n");
        text.Append("# TYPE node_cpu_usage_seconds_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"node_cpu_usage_seconds_total 357.35491 {baseMs}\n");
        text.Append("# TYPE node_memory_working_set_bytes gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"node_memory_working_set_bytes 1.616273408e+09 {baseMs}\n");
        text.Append("# TYPE pod_cpu_usage_seconds_total counter\n");
        for (var p = firstPod; p < firstPod + pods; p++)
            text.Append(CultureInfo.InvariantCulture, $"pod_cpu_usage_seconds_total{{namespace=\"{Namespace(p)}\",pod=\"{PodName(p)}\"}} 1.25 {baseMs + p}\n");
        text.Append("# TYPE resource_scrape_error gauge\nresource_scrape_error 0\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Family(StringBuilder text, string name, string type, int firstPod, int pods, int containers, long baseMs, Func<int, int, string> value)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} [ALPHA] generated\n# TYPE {name} {type}\n");
        for (var p = firstPod; p < firstPod + pods; p++)
        {
            for (var c = 0; c < containers; c++)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{name}{{container=\"{ContainerName(c)}\",namespace=\"{Namespace(p)}\",pod=\"{PodName(p)}\"}} {value(p, c)} {baseMs + p}\n");
            }
        }
    }
}
