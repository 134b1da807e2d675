using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering;

/// <summary>
/// The Table rendering (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>) of upstream's
/// <c>pkg/api/table.go</c>: Name, one quantity column per usage resource (cpu, memory), Window; pod rows
/// sum their containers. Columns come from the first item with usage, so rows before it, and every row
/// when no item has usage, hold only name and window, as upstream's do. An empty list gives null
/// columnDefinitions and rows. Pass an indented writer for <c>?pretty=true</c>.
/// </summary>
public static class MetricsTable
{
    public static bool TryParseIncludeObject(string? text, out TableIncludeObject include, [NotNullWhen(false)] out string? error)
    {
        error = null;
        include = text switch
        {
            null or "" or "Metadata" => TableIncludeObject.Metadata,
            "Object" => TableIncludeObject.Object,
            "None" => TableIncludeObject.None,
            _ => (TableIncludeObject)(-1),
        };
        if ((int)include >= 0)
            return true;
        error = $"unrecognized includeObject value: \"{text}\"";
        return false;
    }

    /// <param name="metaV1Beta1">true when the client asked for the meta.k8s.io/v1beta1 Table.</param>
    public static void WriteNodes(
        Utf8JsonWriter writer, ReadOnlySpan<NodeMetricsValue> nodes, ApiVersion version, long nowUnixNs,
        TableIncludeObject include = TableIncludeObject.Metadata, bool metaV1Beta1 = false,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var matches = new List<NodeMetricsValue>();
        foreach (var node in nodes)
        {
            if ((labels is null || labels.Matches(node.Labels)) && (fields is null || fields.Matches(node.Name, null)))
                matches.Add(node);
        }
        // Every node has usage, so the columns come from the first row.
        var table = new TableRowWriter(writer, version, nowUnixNs, include, metaV1Beta1);
        table.WriteStart(matches.Count, columnsFrom: matches.Count > 0 ? 0 : -1);
        foreach (var node in matches)
            table.WriteNodeRow(node);
        table.WriteEnd(matches.Count);
    }

    public static void WritePods(
        Utf8JsonWriter writer, ReadOnlySpan<PodMetricsValue> pods, ApiVersion version, long nowUnixNs,
        TableIncludeObject include = TableIncludeObject.Metadata, bool metaV1Beta1 = false,
        LabelSelector? labels = null, FieldSelector? fields = null)
    {
        var matches = new List<PodMetricsValue>();
        var columnsFrom = -1;
        foreach (var pod in pods)
        {
            if ((labels is null || labels.Matches(pod.Labels)) && (fields is null || fields.Matches(pod.Name, pod.Namespace)))
            {
                if (columnsFrom < 0 && pod.Containers.Length > 0)
                    columnsFrom = matches.Count;
                matches.Add(pod);
            }
        }
        var table = new TableRowWriter(writer, version, nowUnixNs, include, metaV1Beta1);
        table.WriteStart(matches.Count, columnsFrom);
        foreach (var pod in matches)
            table.WritePodRow(pod);
        table.WriteEnd(matches.Count);
    }
}

/// <summary>The <c>includeObject</c> query parameter of a Table request; Metadata is the default.</summary>
public enum TableIncludeObject
{
    Metadata,
    Object,
    None,
}
