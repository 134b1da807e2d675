using System.Buffers;
using System.Globalization;
using System.Text.Json;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Writes a node's <c>/stats/summary?only_cpu_and_memory=true</c> body (k8s.io/kubelet stats/v1alpha1 Summary):
/// the node and every pod with its containers, each with <c>cpu</c> (<c>time</c>, <c>usageNanoCores</c>,
/// <c>usageCoreNanoSeconds</c>) and <c>memory</c> (<c>time</c>, <c>usageBytes</c>, <c>workingSetBytes</c>), and on a
/// kubelet that writes the swap families, <c>swap</c> (<c>time</c>, <c>swapUsageBytes</c>, the node's
/// <c>swapAvailableBytes</c>) with the same bytes as its <c>*_swap_usage_bytes</c> series. Values come
/// from the same model and formulas as <see cref="KubeletMetricsWriter"/> at the same timestamp, and the counters are
/// the nanoseconds the text body's seconds parse to, so both endpoints give a scraper identical samples.
/// </summary>
/// <remarks>
/// A kubelet's <c>metav1.Time</c> has whole seconds; here times carry the model's fraction (RFC 3339 with up to nine
/// digits, which Go's parser accepts) so that the two endpoints agree to the nanosecond.
/// </remarks>
public static class KubeletSummaryWriter
{
    public const string ContentType = "application/json";

    /// <summary>Answers a <c>/stats/summary</c> request for <paramref name="node"/> at <paramref name="timestampMs"/>.</summary>
    public static void WriteResponse(HttpResponse response, SimulatedNode node, long timestampMs, long counterResetUnixNanos, NodeRestarts? restarts)
    {
        response.ContentType = ContentType;
        Write(response.BodyWriter, node, timestampMs, counterResetUnixNanos, restarts);
    }

    /// <param name="counterResetUnixNanos">0, or when the counters last restarted from zero (fault injection).</param>
    /// <param name="restarts">the node's restarted containers, or null when none restarted.</param>
    public static void Write(IBufferWriter<byte> output, SimulatedNode node, long timestampMs, long counterResetUnixNanos = 0, NodeRestarts? restarts = null)
    {
        var at = timestampMs * 1_000_000;
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteStartObject("node");
        json.WriteString("nodeName", node.Name);
        Time(json, "startTime", node.BootUnixNanos);
        var nodeSince = Math.Max(node.BootUnixNanos, counterResetUnixNanos);
        var nodeCpu = SimulatedCluster.CpuSeconds(node.CpuNanoCores, nodeSince, at) + (restarts?.NodeCpuSecondsDelta(nodeSince, at) ?? 0);
        Cpu(json, at, restarts?.NodeCpuNanoCores(node) ?? node.CpuNanoCores, nodeCpu);
        Memory(json, at, node.MemoryBytes);
        if (node.ReportsSwap)
            Swap(json, at, node.SwapBytes, node.SwapCapacityBytes);
        json.WriteEndObject();
        json.WriteStartArray("pods");
        foreach (var pod in node.Pods)
            WritePod(json, pod, at, counterResetUnixNanos, restarts, node.ReportsSwap);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePod(Utf8JsonWriter json, SimulatedPod pod, long at, long reset, NodeRestarts? restarts, bool swap)
    {
        json.WriteStartObject();
        json.WriteStartObject("podRef");
        json.WriteString("name", pod.Name);
        json.WriteString("namespace", pod.Namespace);
        json.WriteString("uid", pod.Uid);
        json.WriteEndObject();
        Time(json, "startTime", pod.CreationUnixNanos);
        json.WriteStartArray("containers");
        long podRate = 0;
        double podCpu = 0;
        foreach (var c in pod.Containers)
        {
            var run = restarts?.Current(c) ?? new ContainerRun(c.StartUnixNanos, c.CpuNanoCores);
            var start = Math.Max(run.StartUnixNanos, reset);
            json.WriteStartObject();
            json.WriteString("name", c.Name);
            Time(json, "startTime", start);
            Cpu(json, at, run.CpuNanoCores, SimulatedCluster.CpuSeconds(run.CpuNanoCores, start, at));
            Memory(json, at, c.MemoryBytes);
            if (swap)
                Swap(json, at, c.SwapBytes, capacityBytes: 0);
            json.WriteEndObject();
            podRate += run.CpuNanoCores;
            podCpu += restarts is null
                ? SimulatedCluster.CpuSeconds(c.CpuNanoCores, Math.Max(c.StartUnixNanos, reset), at)
                : restarts.CpuSecondsAcrossRestarts(c, Math.Max(c.StartUnixNanos, reset), at);
        }
        json.WriteEndArray();
        Cpu(json, at, podRate, podCpu);
        Memory(json, at, pod.MemoryBytes);
        if (swap)
            Swap(json, at, pod.SwapBytes, capacityBytes: 0);
        json.WriteEndObject();
    }

    // The counter as the text body's scraper reads it: the printed seconds (shortest round trip) times 1e9, truncated.
    private static void Cpu(Utf8JsonWriter json, long at, long nanoCores, double seconds)
    {
        json.WriteStartObject("cpu");
        Time(json, "time", at);
        json.WriteNumber("usageNanoCores", nanoCores);
        json.WriteNumber("usageCoreNanoSeconds", ToNanos(seconds));
        json.WriteEndObject();
    }

    private static void Memory(Utf8JsonWriter json, long at, long bytes)
    {
        json.WriteStartObject("memory");
        Time(json, "time", at);
        json.WriteNumber("usageBytes", bytes);
        json.WriteNumber("workingSetBytes", bytes);
        json.WriteEndObject();
    }

    // The kubelet omits swapAvailableBytes without a swap limit: containers and pods here have none, a node its capacity.
    private static void Swap(Utf8JsonWriter json, long at, long usageBytes, long capacityBytes)
    {
        json.WriteStartObject("swap");
        Time(json, "time", at);
        if (capacityBytes > 0)
            json.WriteNumber("swapAvailableBytes", Math.Max(0, capacityBytes - usageBytes));
        json.WriteNumber("swapUsageBytes", usageBytes);
        json.WriteEndObject();
    }

    private static ulong ToNanos(double seconds)
    {
        var ns = seconds * 1e9;
        return ns is >= 0 and < 18446744073709551616.0 ? (ulong)ns : 0;
    }

    private static void Time(Utf8JsonWriter json, string name, long unixNanos)
    {
        Span<char> text = stackalloc char[40];
        json.WriteString(name, text[..FormatTime(unixNanos, text)]);
    }

    /// <summary>RFC 3339 in UTC as Go's RFC3339Nano layout: the fraction without trailing zeros, none when whole.</summary>
    public static int FormatTime(long unixNanos, Span<char> text)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000, out var fraction);
        if (fraction < 0)
        {
            seconds--;
            fraction += 1_000_000_000;
        }
        DateTime.UnixEpoch.AddSeconds(seconds).TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (fraction != 0)
        {
            text[written++] = '.';
            fraction.TryFormat(text[written..], out var digits, "D9", CultureInfo.InvariantCulture);
            written += digits;
            while (text[written - 1] == '0')
                written--;
        }
        text[written++] = 'Z';
        return written;
    }
}
