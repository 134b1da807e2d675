using System.Buffers;
using System.Globalization;
using System.Text;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Writes a node's <c>/metrics/resource</c> body as the node's kubelet (<see cref="SimulatedNode.Dialect"/>) does:
/// families in name order, HELP and TYPE lines, Go float formatting, millisecond timestamps. Every value is computed for the exact timestamp printed
/// beside it, so Δvalue/Δtimestamp between two scrapes is the configured rate.
/// </summary>
public static class KubeletMetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <param name="counterResetUnixNanos">0, or when the counters last restarted from zero (fault injection).</param>
    /// <param name="restarts">the node's restarted containers (<see cref="ContainerRestarts"/>), or null when none restarted.</param>
    public static void Write(IBufferWriter<byte> output, SimulatedNode node, long timestampMs, long counterResetUnixNanos = 0, NodeRestarts? restarts = null)
    {
        var at = timestampMs * 1_000_000;
        var w = new TextSink(output);
        var dialect = node.Dialect;
        var stable = dialect == KubeletDialect.Legacy ? "[ALPHA]" : "[STABLE]";
        Family(ref w, "container_cpu_usage_seconds_total", stable, "Cumulative cpu time consumed by the container in core-seconds", "counter");
        foreach (var pod in node.Pods)
        {
            foreach (var c in pod.Containers)
            {
                var run = Run(c, restarts);
                var cpu = SimulatedCluster.CpuSeconds(run.CpuNanoCores, Math.Max(run.StartUnixNanos, counterResetUnixNanos), at);
                ContainerLine(ref w, "container_cpu_usage_seconds_total", pod, c, cpu, timestampMs);
            }
        }
        Family(ref w, "container_memory_working_set_bytes", stable, "Current working set of the container in bytes", "gauge");
        foreach (var pod in node.Pods)
        {
            foreach (var c in pod.Containers)
                ContainerLine(ref w, "container_memory_working_set_bytes", pod, c, c.MemoryBytes, timestampMs);
        }
        // 1.2x kubelets registered the start-time family without a help text: the TYPE line stands alone.
        if (dialect == KubeletDialect.Legacy)
            w.Append("# TYPE container_start_time_seconds gauge\n"u8);
        else
            Family(ref w, "container_start_time_seconds", stable, "Start time of the container since unix epoch in seconds", "gauge");
        foreach (var pod in node.Pods)
        {
            foreach (var c in pod.Containers)
                ContainerLine(ref w, "container_start_time_seconds", pod, c, Math.Max(Run(c, restarts).StartUnixNanos, counterResetUnixNanos) / 1e9, timestampMs);
        }
        if (node.ReportsSwap)
        {
            Family(ref w, "container_swap_usage_bytes", "[ALPHA]", "Current amount of the container swap usage in bytes. Reported only on non-windows systems", "gauge");
            foreach (var pod in node.Pods)
            {
                foreach (var c in pod.Containers)
                    ContainerLine(ref w, "container_swap_usage_bytes", pod, c, c.SwapBytes, timestampMs);
            }
        }
        var nodeSince = Math.Max(node.BootUnixNanos, counterResetUnixNanos);
        var nodeCpu = SimulatedCluster.CpuSeconds(node.CpuNanoCores, nodeSince, at) + (restarts?.NodeCpuSecondsDelta(nodeSince, at) ?? 0);
        Family(ref w, "node_cpu_usage_seconds_total", stable, "Cumulative cpu time consumed by the node in core-seconds", "counter");
        Sample(ref w, "node_cpu_usage_seconds_total", nodeCpu, timestampMs);
        Family(ref w, "node_memory_working_set_bytes", stable, "Current working set of the node in bytes", "gauge");
        Sample(ref w, "node_memory_working_set_bytes", node.MemoryBytes, timestampMs);
        if (node.ReportsSwap)
        {
            Family(ref w, "node_swap_usage_bytes", "[ALPHA]", "Current swap usage of the node in bytes. Reported only on non-windows systems", "gauge");
            Sample(ref w, "node_swap_usage_bytes", node.SwapBytes, timestampMs);
        }
        if (dialect == KubeletDialect.Legacy)
        {
            Family(ref w, "scrape_error", stable, "1 if there was an error while getting container metrics, 0 otherwise", "gauge");
            w.Append("scrape_error 0\n"u8);
            return;
        }
        WritePods(ref w, node, at, timestampMs, counterResetUnixNanos, restarts);
        Family(ref w, "resource_scrape_error", stable, "1 if there was an error while getting container metrics, 0 otherwise", "gauge");
        w.Append("resource_scrape_error 0\n"u8);
    }

    private static void WritePods(ref TextSink w, SimulatedNode node, long at, long timestampMs, long reset, NodeRestarts? restarts)
    {
        Family(ref w, "pod_cpu_usage_seconds_total", "[STABLE]", "Cumulative cpu time consumed by the pod in core-seconds", "counter");
        foreach (var pod in node.Pods)
        {
            double cpu = 0;
            foreach (var c in pod.Containers)
            {
                cpu += restarts is null
                    ? SimulatedCluster.CpuSeconds(c.CpuNanoCores, Math.Max(c.StartUnixNanos, reset), at)
                    : restarts.CpuSecondsAcrossRestarts(c, Math.Max(c.StartUnixNanos, reset), at);
            }
            PodLine(ref w, "pod_cpu_usage_seconds_total", pod, cpu, timestampMs);
        }
        Family(ref w, "pod_memory_working_set_bytes", "[STABLE]", "Current working set of the pod in bytes", "gauge");
        foreach (var pod in node.Pods)
            PodLine(ref w, "pod_memory_working_set_bytes", pod, pod.MemoryBytes, timestampMs);
        if (!node.ReportsSwap)
            return;
        Family(ref w, "pod_swap_usage_bytes", "[ALPHA]", "Current amount of the pod swap usage in bytes. Reported only on non-windows systems", "gauge");
        foreach (var pod in node.Pods)
            PodLine(ref w, "pod_swap_usage_bytes", pod, pod.SwapBytes, timestampMs);
    }

    private static ContainerRun Run(SimulatedContainer c, NodeRestarts? restarts) =>
        restarts?.Current(c) ?? new ContainerRun(c.StartUnixNanos, c.CpuNanoCores);

    private static void Family(ref TextSink w, string name, string stability, string help, string type)
    {
        w.Append("# HELP "u8).Append(name).Append(" "u8).Append(stability).Append(" "u8).Append(help).Append("\n# TYPE "u8)
            .Append(name).Append(" "u8).Append(type).Append("\n"u8);
    }

    private static void Sample(ref TextSink w, string name, double value, long timestampMs) =>
        w.Append(name).Append(" "u8).Float(value).Append(" "u8).Long(timestampMs).Append("\n"u8);

    private static void ContainerLine(ref TextSink w, string name, SimulatedPod pod, SimulatedContainer c, double value, long timestampMs)
    {
        w.Append(name).Append("{container=\""u8).Append(c.Name).Append("\",namespace=\""u8).Append(pod.Namespace)
            .Append("\",pod=\""u8).Append(pod.Name).Append("\"} "u8).Float(value).Append(" "u8).Long(timestampMs).Append("\n"u8);
    }

    private static void PodLine(ref TextSink w, string name, SimulatedPod pod, double value, long timestampMs)
    {
        w.Append(name).Append("{namespace=\""u8).Append(pod.Namespace).Append("\",pod=\""u8).Append(pod.Name)
            .Append("\"} "u8).Float(value).Append(" "u8).Long(timestampMs).Append("\n"u8);
    }

    private ref struct TextSink
    {
        private readonly IBufferWriter<byte> _output;

        public TextSink(IBufferWriter<byte> output) => _output = output;

        public TextSink Append(ReadOnlySpan<byte> bytes)
        {
            _output.Write(bytes);
            return this;
        }

        public TextSink Append(string text)
        {
            var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            _output.Advance(Encoding.UTF8.GetBytes(text, span));
            return this;
        }

        public TextSink Float(double value)
        {
            _output.Advance(GoFloat.Write(value, _output.GetSpan(40)));
            return this;
        }

        public TextSink Long(long value)
        {
            value.TryFormat(_output.GetSpan(24), out var written, default, CultureInfo.InvariantCulture);
            _output.Advance(written);
            return this;
        }
    }
}
