using System.Text;
using System.Text.Json;
using static TinyMetrics.Parsing.SummaryJson;

namespace TinyMetrics.Parsing;

/// <summary>
/// Decodes a kubelet <c>/stats/summary</c> body (the Summary API, <c>k8s.io/kubelet/pkg/apis/stats/v1alpha1</c>)
/// into the same <see cref="NodeBatch"/> the text path fills, with metrics-server 0.5's decode rules
/// (pkg/scraper/client/summary/decode.go): a point's timestamp is its CPU stats' <c>time</c>; the node point needs
/// that time, a non-zero <c>usageCoreNanoSeconds</c> and a non-zero <c>workingSetBytes</c>; a pod is dropped whole
/// when any container lacks one of those or its <c>startTime</c>. A node's or container's <c>swap.swapUsageBytes</c>
/// (kubelet 1.29+) is its swap reading, as the text path's swap series; it neither adds nor keeps a point. Malformed JSON, or a value of the wrong type,
/// fails the whole node, as upstream's unmarshal does. Not thread-safe; one instance per parser slot.
/// </summary>
/// <remarks>
/// Names are read as UTF-8 spans and interned (the same table as the text path keeps: ten minutes of request
/// time), and containers are merged in reused arrays, so re-parsing a body of the same shape allocates nothing.
/// </remarks>
public sealed class SummaryParser
{
    private readonly Utf8Table<string> _names = new();
    private readonly ContainerAccumulator _containers = new();
    private PendingContainer[] _pending = new PendingContainer[8];
    private int _pendingCount;
    private long _nowNs;

    internal int InternedNames => _names.Count;

    /// <summary>
    /// Fills <paramref name="into"/> (cleared first). <paramref name="requestStartNs"/> (Unix ns) only ages the
    /// name cache: a Summary point without a time is not served. Returns false with an error message when the
    /// body is not a Summary; <paramref name="into"/> is then empty.
    /// </summary>
    public bool TryParse(ReadOnlySpan<byte> body, long requestStartNs, NodeBatch into, out string? error)
    {
        into.Clear();
        _containers.Clear();
        _nowNs = requestStartNs;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!TryReadSummary(ref reader, into, out error))
            {
                into.Clear();
                return false;
            }
        }
        catch (JsonException ex)
        {
            // Utf8JsonReader reports malformed JSON only by throwing; it is the rare path of a broken kubelet.
            error = "invalid JSON: " + ex.Message;
            into.Clear();
            return false;
        }
        _containers.EmitTo(into);
        return true;
    }

    private bool TryReadSummary(ref Utf8JsonReader reader, NodeBatch into, out string? error)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return Fail("a Summary is a JSON object", out error);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("node"u8))
            {
                reader.Read();
                if (!TryReadNode(ref reader, into, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("pods"u8))
            {
                reader.Read();
                if (!TryReadPods(ref reader, out error))
                    return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // A second top-level value or trailing bytes throw here.
        if (reader.Read())
            return Fail("trailing data after the Summary", out error);
        error = null;
        return true;
    }

    private static bool TryReadNode(ref Utf8JsonReader reader, NodeBatch into, out string? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.StartObject)
            return Fail("node: expected an object", out error);
        SummaryUsage cpu = default, memory = default;
        var swap = default(SwapUsage);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("cpu"u8))
            {
                reader.Read();
                if (!TryReadUsage(ref reader, "usageCoreNanoSeconds"u8, out cpu, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("memory"u8))
            {
                reader.Read();
                if (!TryReadUsage(ref reader, "workingSetBytes"u8, out memory, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("swap"u8))
            {
                reader.Read();
                if (!TryReadSwap(ref reader, out swap, out error))
                    return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // Upstream: no CPU time means no usable point; a zero or missing value means none either.
        if (cpu.TimeNs > 0 && cpu.Value != 0 && memory.Value != 0)
            into.SetNode(new MetricPoint(0, cpu.TimeNs, cpu.Value, memory.Value, swap));
        return Ok(out error);
    }

    private bool TryReadPods(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.StartArray)
            return Fail("pods: expected an array", out error);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!TryReadPod(ref reader, out error))
                return false;
        }
        return Ok(out error);
    }

    // podRef may follow the containers (JSON objects are unordered), so containers wait in _pending until the pod ends.
    private bool TryReadPod(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            return Fail("pods: expected objects", out error);
        _pendingCount = 0;
        string? ns = null, pod = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("podRef"u8))
            {
                reader.Read();
                if (!TryReadPodRef(ref reader, ref ns, ref pod, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("containers"u8))
            {
                reader.Read();
                if (!TryReadContainers(ref reader, out error))
                    return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // A pod without a name or namespace can match no Running pod; upstream would store it under "/".
        if (ns is { Length: > 0 } && pod is { Length: > 0 })
            Commit(ns, pod);
        return Ok(out error);
    }

    private bool TryReadPodRef(ref Utf8JsonReader reader, ref string? ns, ref string? pod, out string? error)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            return Fail("podRef: expected an object", out error);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (!TryIntern(ref reader, out pod, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("namespace"u8))
            {
                reader.Read();
                if (!TryIntern(ref reader, out ns, out error))
                    return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return Ok(out error);
    }

    private bool TryReadContainers(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.StartArray)
            return Fail("containers: expected an array", out error);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                return Fail("containers: expected objects", out error);
            if (!TryReadContainer(ref reader, out var container, out error))
                return false;
            if (_pendingCount == _pending.Length)
                Array.Resize(ref _pending, _pending.Length * 2);
            _pending[_pendingCount++] = container;
        }
        return Ok(out error);
    }

    private bool TryReadContainer(ref Utf8JsonReader reader, out PendingContainer container, out string? error)
    {
        container = new PendingContainer { Name = "" };
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (!TryIntern(ref reader, out var name, out error))
                    return false;
                container.Name = name ?? "";
            }
            else if (reader.ValueTextEquals("startTime"u8))
            {
                reader.Read();
                if (!TryReadTime(ref reader, out container.StartNs, out container.HasStart, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("cpu"u8))
            {
                reader.Read();
                if (!TryReadUsage(ref reader, "usageCoreNanoSeconds"u8, out container.Cpu, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("memory"u8))
            {
                reader.Read();
                if (!TryReadUsage(ref reader, "workingSetBytes"u8, out container.Memory, out error))
                    return false;
            }
            else if (reader.ValueTextEquals("swap"u8))
            {
                reader.Read();
                if (!TryReadSwap(ref reader, out container.Swap, out error))
                    return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return Ok(out error);
    }

    private void Commit(string ns, string pod)
    {
        for (var i = 0; i < _pendingCount; i++)
        {
            ref readonly var c = ref _pending[i];
            ref var entry = ref _containers.GetOrAdd(ContainerName.Create(ns, pod, c.Name));
            // A zero CPU marks the container incomplete, which drops its whole pod at emit, as upstream.
            var complete = c.HasStart && c.Cpu.TimeNs > 0 && c.Cpu.Value != 0 && c.Memory.Value != 0;
            entry.CpuNanoSeconds = complete ? c.Cpu.Value : 0;
            entry.MemoryBytes = c.Memory.Value;
            entry.TimestampNs = c.Cpu.TimeNs;
            entry.StartTimeNs = c.StartNs;
            entry.Swap = c.Swap;
            entry.HasUsage = true;
        }
    }

    private bool TryIntern(ref Utf8JsonReader reader, out string? name, out string? error)
    {
        name = null;
        if (reader.TokenType == JsonTokenType.Null)
            return Ok(out error);
        if (reader.TokenType != JsonTokenType.String)
            return Fail("name: expected a string", out error);
        if (!reader.ValueIsEscaped)
        {
            name = Intern(reader.ValueSpan);
            return Ok(out error);
        }
        // Escapes in a Kubernetes name are legal JSON but rare: unescape into scratch space, then intern.
        var length = reader.ValueSpan.Length;
        byte[]? rented = null;
        var scratch = length <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            name = Intern(scratch[..reader.CopyString(scratch)]);
        }
        finally
        {
            if (rented is not null)
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
        return Ok(out error);
    }

    private string Intern(ReadOnlySpan<byte> utf8)
    {
        ref var name = ref _names.GetValueRefOrAddDefault(utf8, _nowNs, out var exists);
        if (!exists)
            name = Encoding.UTF8.GetString(utf8);
        return name;
    }

    private struct PendingContainer
    {
        public string Name;
        public long StartNs;
        public bool HasStart;
        public SummaryUsage Cpu;
        public SummaryUsage Memory;
        public SwapUsage Swap;
    }
}
