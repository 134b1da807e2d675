using System.Text.Json;
using TinyMetrics.Configuration;
using TinyMetrics.Discovery;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>Writes a Table's members and rows for <see cref="MetricsTable"/>.</summary>
internal sealed class TableRowWriter
{
    private readonly Utf8JsonWriter _w;
    private readonly ApiVersion _version;
    private readonly long _now;
    private readonly TableIncludeObject _include;
    private readonly bool _metaV1Beta1;
    private int _columnsFrom;
    private int _row;

    public TableRowWriter(Utf8JsonWriter writer, ApiVersion version, long nowUnixNs, TableIncludeObject include, bool metaV1Beta1)
    {
        _w = writer;
        _version = version;
        _now = nowUnixNs;
        _include = include;
        _metaV1Beta1 = metaV1Beta1;
    }

    private ReadOnlySpan<byte> MetaVersion => _metaV1Beta1 ? "meta.k8s.io/v1beta1"u8 : "meta.k8s.io/v1"u8;

    /// <param name="columnsFrom">index of the first row with usage, which defines the columns; -1 for none.</param>
    public void WriteStart(int rowCount, int columnsFrom)
    {
        _columnsFrom = columnsFrom;
        _w.WriteStartObject();
        _w.WriteString("kind"u8, "Table"u8);
        _w.WriteString("apiVersion"u8, MetaVersion);
        _w.WriteStartObject("metadata"u8);
        _w.WriteEndObject();
        _w.WritePropertyName("columnDefinitions"u8);
        if (columnsFrom >= 0)
            WriteColumns();
        else
            _w.WriteNullValue();
        _w.WritePropertyName("rows"u8);
        if (rowCount == 0)
            _w.WriteNullValue();
        else
            _w.WriteStartArray();
    }

    public void WriteEnd(int rowCount)
    {
        if (rowCount > 0)
            _w.WriteEndArray();
        _w.WriteEndObject();
    }

    public void WriteNodeRow(NodeMetricsValue node)
    {
        WriteCells(node.Name, node.CpuNanoCores, node.MemoryBytes, node.WindowNs);
        if (_include == TableIncludeObject.Object)
            MetricsJson.WriteNode(_w, node, _version, _now);
        else
            WritePartial(node.Name, null, node.Labels);
        _w.WriteEndObject();
    }

    public void WritePodRow(PodMetricsValue pod)
    {
        // Upstream sums Quantities; each container's value is first cut by its >MaxInt64 rule.
        ulong cpu = 0, memory = 0;
        foreach (var container in pod.Containers)
        {
            cpu += container.CpuNanoCores > long.MaxValue ? container.CpuNanoCores / 10 * 10 : container.CpuNanoCores;
            memory += container.MemoryBytes > long.MaxValue ? container.MemoryBytes / 10 * 10 : container.MemoryBytes;
        }
        WriteCells(pod.Name, cpu, memory, pod.WindowNs);
        if (_include == TableIncludeObject.Object)
            MetricsJson.WritePod(_w, pod, _version, _now);
        else
            WritePartial(pod.Name, pod.Namespace, pod.Labels);
        _w.WriteEndObject();
    }

    // Opens the row object and leaves it at its "object" member.
    private void WriteCells(string name, ulong cpu, ulong memory, long windowNs)
    {
        _w.WriteStartObject();
        _w.WriteStartArray("cells"u8);
        _w.WriteStringValue(name);
        if (_columnsFrom >= 0 && _row++ >= _columnsFrom)
        {
            Span<byte> value = stackalloc byte[Quantity.MaxLength];
            _w.WriteStringValue(value[..Quantity.FormatCpu(cpu, value)]);
            _w.WriteStringValue(value[..Quantity.FormatMemory(memory, value)]);
        }
        Span<byte> window = stackalloc byte[GoDuration.MaxLength];
        _w.WriteStringValue(window[..GoDuration.Format(windowNs, window)]);
        _w.WriteEndArray();
        _w.WritePropertyName("object"u8);
    }

    private void WritePartial(string name, string? ns, LabelSet labels)
    {
        if (_include == TableIncludeObject.None)
        {
            _w.WriteNullValue();
            return;
        }
        Span<byte> stamp = stackalloc byte[KubeTime.Length];
        KubeTime.FormatRfc3339(_now, stamp);
        _w.WriteStartObject();
        _w.WriteString("kind"u8, "PartialObjectMetadata"u8);
        _w.WriteString("apiVersion"u8, MetaVersion);
        MetricsJson.WriteMetadata(_w, name, ns, labels, stamp);
        _w.WriteEndObject();
    }

    private void WriteColumns()
    {
        _w.WriteStartArray();
        WriteColumn("Name"u8, "name"u8, "Name of the resource"u8);
        WriteColumn("cpu"u8, "quantity"u8, ""u8);
        WriteColumn("memory"u8, "quantity"u8, ""u8);
        WriteColumn("Window"u8, "duration"u8, ""u8);
        _w.WriteEndArray();
    }

    private void WriteColumn(ReadOnlySpan<byte> name, ReadOnlySpan<byte> format, ReadOnlySpan<byte> description)
    {
        _w.WriteStartObject();
        _w.WriteString("name"u8, name);
        _w.WriteString("type"u8, "string"u8);
        _w.WriteString("format"u8, format);
        _w.WriteString("description"u8, description);
        _w.WriteNumber("priority"u8, 0);
        _w.WriteEndObject();
    }
}
