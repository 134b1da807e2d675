using System.Text.Json;
using TinyMetrics.Storage;

namespace TinyMetrics.Api;

/// <summary>
/// Writes a Table. Whether there are column definitions is known only once a row with usage has been seen,
/// yet they precede the rows in upstream's member order, so rows go to a side buffer and are spliced in.
/// </summary>
internal sealed class TableRowWriter
{
    private readonly Utf8JsonWriter _output;
    private readonly System.Buffers.ArrayBufferWriter<byte> _rowBuffer = new(1024);
    private readonly Utf8JsonWriter _rows;
    private readonly ApiVersion _version;
    private readonly long _now;
    private readonly TableIncludeObject _include;
    private readonly bool _metaV1Beta1;
    private bool _hasColumns;

    public TableRowWriter(Utf8JsonWriter output, ApiVersion version, long nowUnixNs, TableIncludeObject include, bool metaV1Beta1)
    {
        _output = output;
        _rows = new Utf8JsonWriter(_rowBuffer, JsonText.Compact);
        _version = version;
        _now = nowUnixNs;
        _include = include;
        _metaV1Beta1 = metaV1Beta1;
        _rows.WriteStartArray();
    }

    public void WriteNodeRow(NodeMetricsValue node)
    {
        _hasColumns = true;
        _rows.WriteStartObject();
        _rows.WriteStartArray("cells"u8);
        _rows.WriteStringValue(node.Name);
        WriteQuantities(node.CpuNanoCores, node.MemoryBytes);
        WriteWindow(node.WindowNs);
        _rows.WriteEndArray();
        _rows.WritePropertyName("object"u8);
        if (_include == TableIncludeObject.Object)
            MetricsJson.WriteNode(_rows, node, _version, _now);
        else
            WritePartial(node.Name, null, node.Labels);
        _rows.WriteEndObject();
    }

    public void WritePodRow(PodMetricsValue pod)
    {
        ulong cpu = 0, memory = 0;
        foreach (var container in pod.Containers)
        {
            cpu += CpuAsQuantity(container.CpuNanoCores);
            memory += container.MemoryBytes > long.MaxValue ? container.MemoryBytes / 10 * 10 : container.MemoryBytes;
        }
        // Upstream fixes the columns at the first pod whose summed usage has any resource.
        _hasColumns |= pod.Containers.Length > 0;
        _rows.WriteStartObject();
        _rows.WriteStartArray("cells"u8);
        _rows.WriteStringValue(pod.Name);
        if (_hasColumns)
            WriteQuantities(cpu, memory);
        WriteWindow(pod.WindowNs);
        _rows.WriteEndArray();
        _rows.WritePropertyName("object"u8);
        if (_include == TableIncludeObject.Object)
            MetricsJson.WritePod(_rows, pod, _version, _now);
        else
            WritePartial(pod.Name, pod.Namespace, pod.Labels);
        _rows.WriteEndObject();
    }

    public void Finish(int rowCount)
    {
        _rows.WriteEndArray();
        _rows.Flush();
        var w = _output;
        w.WriteStartObject();
        w.WriteString("kind"u8, "Table"u8);
        w.WriteString("apiVersion"u8, _metaV1Beta1 ? "meta.k8s.io/v1beta1"u8 : "meta.k8s.io/v1"u8);
        w.WriteStartObject("metadata"u8);
        w.WriteEndObject();
        w.WritePropertyName("columnDefinitions"u8);
        if (_hasColumns)
            WriteColumns(w);
        else
            w.WriteNullValue();
        w.WritePropertyName("rows"u8);
        if (rowCount == 0)
            w.WriteNullValue();
        else
            w.WriteRawValue(_rowBuffer.WrittenSpan, skipInputValidation: true);
        w.WriteEndObject();
        _rows.Dispose();
    }

    // The value the cpu Quantity holds after upstream's >MaxInt64 rule, in nanocores.
    private static ulong CpuAsQuantity(ulong nanoCores) => nanoCores > long.MaxValue ? nanoCores / 10 * 10 : nanoCores;

    private void WriteQuantities(ulong cpu, ulong memory)
    {
        Span<byte> value = stackalloc byte[Quantity.MaxLength];
        _rows.WriteStringValue(value[..Quantity.FormatCpu(cpu, value)]);
        _rows.WriteStringValue(value[..Quantity.FormatMemory(memory, value)]);
    }

    private void WriteWindow(long windowNs)
    {
        Span<byte> window = stackalloc byte[GoDuration.MaxLength];
        _rows.WriteStringValue(window[..GoDuration.Format(windowNs, window)]);
    }

    private void WritePartial(string name, string? ns, Discovery.LabelSet labels)
    {
        if (_include == TableIncludeObject.None)
        {
            _rows.WriteNullValue();
            return;
        }
        Span<byte> stamp = stackalloc byte[KubeTime.Length];
        KubeTime.FormatRfc3339(_now, stamp);
        _rows.WriteStartObject();
        _rows.WriteString("kind"u8, "PartialObjectMetadata"u8);
        _rows.WriteString("apiVersion"u8, _metaV1Beta1 ? "meta.k8s.io/v1beta1"u8 : "meta.k8s.io/v1"u8);
        MetricsJson.WriteMetadata(_rows, name, ns, labels, stamp);
        _rows.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        WriteColumn(w, "Name"u8, "name"u8, "Name of the resource"u8);
        WriteColumn(w, "cpu"u8, "quantity"u8, ""u8);
        WriteColumn(w, "memory"u8, "quantity"u8, ""u8);
        WriteColumn(w, "Window"u8, "duration"u8, ""u8);
        w.WriteEndArray();
    }

    private static void WriteColumn(Utf8JsonWriter w, ReadOnlySpan<byte> name, ReadOnlySpan<byte> format, ReadOnlySpan<byte> description)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteString("type"u8, "string"u8);
        w.WriteString("format"u8, format);
        w.WriteString("description"u8, description);
        w.WriteNumber("priority"u8, 0);
        w.WriteEndObject();
    }
}
