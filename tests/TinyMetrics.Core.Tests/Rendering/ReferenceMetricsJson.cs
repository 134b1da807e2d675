using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// A second implementation of the NodeMetrics/PodMetrics JSON, written for the tests from the upstream
/// rules (field order of k8s.io/metrics types.go, Go map keys sorted, RFC 3339 seconds, Go's
/// Duration.String, canonical quantities), sharing no code with the production renderers. Documents are
/// compared in <see cref="Canonical"/> form, which keeps the property order and ignores only escaping.
/// </summary>
internal static class ReferenceMetricsJson
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses and re-serializes, so two documents with the same tokens in the same order compare equal.</summary>
    public static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString(Relaxed);

    public static string NodeList(IEnumerable<NodeMetricsValue> nodes, string version, long nowNs) =>
        List("NodeMetricsList", version, nodes, node => Node(node, nowNs));

    public static string PodList(IEnumerable<PodMetricsValue> pods, string version, long nowNs) =>
        List("PodMetricsList", version, pods, pod => Pod(pod, nowNs));

    public static string NodeObject(NodeMetricsValue node, string version, long nowNs) => Object("NodeMetrics", version, Node(node, nowNs));

    public static string PodObject(PodMetricsValue pod, string version, long nowNs) => Object("PodMetrics", version, Pod(pod, nowNs));

    private static string List<T>(string kind, string version, IEnumerable<T> values, Func<T, JsonObject> item)
    {
        var items = new JsonArray();
        foreach (var value in values)
            items.Add(item(value));
        var list = new JsonObject { ["kind"] = kind, ["apiVersion"] = "metrics.k8s.io/" + version, ["metadata"] = new JsonObject(), ["items"] = items };
        return list.ToJsonString(Relaxed);
    }

    private static string Object(string kind, string version, JsonObject fields)
    {
        var result = new JsonObject { ["kind"] = kind, ["apiVersion"] = "metrics.k8s.io/" + version };
        foreach (var (key, value) in fields.ToArray())
        {
            fields.Remove(key);
            result[key] = value;
        }
        return result.ToJsonString(Relaxed);
    }

    private static JsonObject Node(NodeMetricsValue node, long nowNs) => new()
    {
        ["metadata"] = Metadata(node.Name, null, node.Labels.Pairs.ToArray(), nowNs),
        ["timestamp"] = Timestamp(node.TimestampNs),
        ["window"] = GoDuration(node.WindowNs),
        ["usage"] = Usage(node.CpuNanoCores, node.MemoryBytes),
    };

    private static JsonObject Pod(PodMetricsValue pod, long nowNs)
    {
        var containers = new JsonArray();
        foreach (var container in pod.Containers)
            containers.Add(new JsonObject { ["name"] = container.Name, ["usage"] = Usage(container.CpuNanoCores, container.MemoryBytes) });
        return new JsonObject
        {
            ["metadata"] = Metadata(pod.Name, pod.Namespace, pod.Labels.Pairs.ToArray(), nowNs),
            ["timestamp"] = Timestamp(pod.TimestampNs),
            ["window"] = GoDuration(pod.WindowNs),
            ["containers"] = containers,
        };
    }

    private static JsonObject Metadata(string name, string? ns, KeyValuePair<string, string>[] labels, long nowNs)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
            metadata["namespace"] = ns;
        metadata["creationTimestamp"] = Rfc3339(nowNs);
        if (labels.Length > 0)
        {
            var sorted = new JsonObject();
            foreach (var pair in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
                sorted[pair.Key] = pair.Value;
            metadata["labels"] = sorted;
        }
        return metadata;
    }

    private static JsonNode? Timestamp(long ns) => ns == 0 ? null : JsonValue.Create(Rfc3339(ns));

    private static JsonObject Usage(ulong cpuNanoCores, ulong memoryBytes) =>
        new() { ["cpu"] = Cpu(cpuNanoCores), ["memory"] = Memory(memoryBytes) };

    private static string Rfc3339(long ns) =>
        DateTimeOffset.FromUnixTimeSeconds(ns / 1_000_000_000).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Canonical DecimalSI at scale −9: the largest multiple-of-3 exponent that leaves an integer mantissa.</summary>
    public static string Cpu(ulong nanoCores) => DecimalSI(nanoCores, -9);

    /// <summary>Canonical BinarySI, except that values under 1024 are written as DecimalSI (as apimachinery does).</summary>
    public static string Memory(ulong bytes)
    {
        if (bytes < 1024)
            return DecimalSI(bytes, 0);
        string[] suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        var power = 0;
        while (power < 6 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            power++;
        }
        return bytes.ToString(CultureInfo.InvariantCulture) + suffixes[power];
    }

    private static string DecimalSI(ulong value, int scale)
    {
        if (value == 0)
            return "0";
        (int Exponent, string Suffix)[] units = [(18, "E"), (15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k"), (0, ""), (-3, "m"), (-6, "u"), (-9, "n")];
        foreach (var (exponent, suffix) in units)
        {
            var shift = exponent - scale;
            if (shift < 0)
                continue;
            var divisor = System.Numerics.BigInteger.Pow(10, shift);
            if (value % divisor == 0)
                return (value / divisor).ToString(CultureInfo.InvariantCulture) + suffix;
        }
        throw new ArgumentOutOfRangeException(nameof(scale));
    }

    /// <summary>Go's time.Duration.String for non-negative durations.</summary>
    public static string GoDuration(long ns)
    {
        if (ns == 0)
            return "0s";
        if (ns < 1_000)
            return ns.ToString(CultureInfo.InvariantCulture) + "ns";
        if (ns < 1_000_000)
            return Fraction(ns, 3) + "µs";
        if (ns < 1_000_000_000)
            return Fraction(ns, 6) + "ms";
        var text = new StringBuilder();
        var hours = ns / 3_600_000_000_000;
        var minutes = ns / 60_000_000_000 % 60;
        if (hours > 0)
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        if (hours > 0 || minutes > 0)
            text.Append(CultureInfo.InvariantCulture, $"{minutes}m");
        return text.Append(Fraction(ns % 60_000_000_000, 9)).Append('s').ToString();
    }

    private static string Fraction(long value, int digits)
    {
        var unit = (long)Math.Pow(10, digits);
        var fraction = (value % unit).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? whole : whole + "." + fraction;
    }
}
