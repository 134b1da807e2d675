using System.Buffers;
using System.Text.Json;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Http;
using TinyMetrics.Rendering;
using TinyMetrics.Selectors;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Serving;

/// <summary>
/// nodes and pods, single and listed, in JSON (pre-rendered bytes unless pretty-printed) or as a
/// Table. A request loads the published view once; nothing here takes a lock.
/// </summary>
internal sealed class MetricsEndpoints
{
    private const string TableContentType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    private readonly SnapshotCell _published;
    private readonly IClusterViewSource _cluster;
    private readonly LabelSelector _nodeSelector;
    private readonly SelfMetrics _selfMetrics;
    private readonly TimeProvider _time;

    public MetricsEndpoints(SnapshotCell published, IClusterViewSource cluster, LabelSelector nodeSelector, SelfMetrics selfMetrics, TimeProvider time)
    {
        _published = published;
        _cluster = cluster;
        _nodeSelector = nodeSelector;
        _selfMetrics = selfMetrics;
        _time = time;
    }

    /// <summary>Answers a GET or HEAD whose <see cref="RequestInfo.Target"/> is a resource.</summary>
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var request = info.Resource;
        // A named get reads no list options (upstream's GetResource); a list decodes them first, then refuses a watch.
        var options = default(ListOptions);
        if (request.Name is null)
        {
            if (!ListOptions.TryDecode(context.Request.Query, out options, out var invalid))
            {
                await StatusWriter.WriteAsync(context, invalid);
                return;
            }
            if (options.Watch)
            {
                await StatusWriter.WriteAsync(context, KubeStatus.WatchNotSupported(request.Resource));
                return;
            }
        }

        var view = _published.View;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        var format = ResponseFormat.From(context.Request);
        if (request.Name is not null)
            await GetAsync(context, view, request, now, format);
        else
            await ListAsync(context, view, request, now, format, request.IsPods ? options.Labels : options.Labels.And(_nodeSelector), options.Fields);
    }

    private Task GetAsync(HttpContext context, PublishedView view, ResourceRequest request, long now, ResponseFormat format)
    {
        var snapshot = view.Rendered.Snapshot;
        var name = request.Name!;
        if (request.IsPods)
        {
            var ns = request.Namespace ?? "";
            var pod = snapshot.FindPod(ns, name);
            if (pod is null)
            {
                var known = _cluster.Current.Pods.ContainsKey(new PodKey(ns, name));
                return StatusWriter.WriteAsync(context, known ? KubeStatus.PodMetricsNotFound(ns, name) : KubeStatus.PodNotFound(name));
            }
            ObserveFreshness(now, pod.TimestampNs, 1);
            return WriteItemAsync(context.Response, format,
                w => MetricsTable.WritePods(w, [pod], request.Version, now, format.IncludeObject),
                w => MetricsJson.WritePod(w, pod, request.Version, now),
                b => view.Rendered.WritePod(b, request.Version, now, ns, name));
        }

        var node = snapshot.FindNode(name);
        if (node is null)
        {
            var known = _cluster.Current.Nodes.ContainsKey(name);
            return StatusWriter.WriteAsync(context, known ? KubeStatus.NodeMetricsNotFound(name) : KubeStatus.NodeNotFound(name));
        }
        ObserveFreshness(now, node.TimestampNs, 1);
        return WriteItemAsync(context.Response, format,
            w => MetricsTable.WriteNodes(w, [node], request.Version, now, format.IncludeObject),
            w => MetricsJson.WriteNode(w, node, request.Version, now),
            b => view.Rendered.WriteNode(b, request.Version, now, name));
    }

    private static async Task WriteItemAsync(HttpResponse response, ResponseFormat format, Action<Utf8JsonWriter> table,
        Action<Utf8JsonWriter> pretty, Action<IBufferWriter<byte>> preRendered)
    {
        StartJson(response, format);
        if (format.Table)
            WriteWith(response, format, table);
        else if (format.Pretty)
            WriteWith(response, format, pretty);
        else
            preRendered(response.BodyWriter);
        await FinishAsync(response);
    }

    private async Task ListAsync(HttpContext context, PublishedView view, ResourceRequest request, long now, ResponseFormat format, LabelSelector labels, FieldSelector fields)
    {
        var response = context.Response;
        var rendered = view.Rendered;
        StartJson(response, format);
        int count;
        if (format.Table || format.Pretty)
            count = WriteSlowList(response, rendered.Snapshot, request, now, format, labels, fields);
        else if (request.IsPods)
            count = await rendered.WritePodListAsync(response.BodyWriter, request.Version, now, request.Namespace, labels, fields, context.RequestAborted);
        else
            count = await rendered.WriteNodeListAsync(response.BodyWriter, request.Version, now, labels, fields, context.RequestAborted);
        ObserveFreshness(now, view.OldestTimestampNs, count);
        await FinishAsync(response);
    }

    // Table and pretty output are for people and kubectl get; they render from the values, not the cached bytes.
    private static int WriteSlowList(HttpResponse response, MetricsSnapshot snapshot, ResourceRequest request, long now, ResponseFormat format, LabelSelector labels, FieldSelector fields)
    {
        var pods = request.Namespace is null ? snapshot.Pods : snapshot.PodsIn(request.Namespace);
        var podArray = request.IsPods ? pods.ToArray() : [];
        var nodeArray = request.IsPods ? [] : snapshot.Nodes.ToArray();
        WriteWith(response, format, w =>
        {
            if (format.Table && request.IsPods)
                MetricsTable.WritePods(w, podArray, request.Version, now, format.IncludeObject, labels: labels, fields: fields);
            else if (format.Table)
                MetricsTable.WriteNodes(w, nodeArray, request.Version, now, format.IncludeObject, labels: labels, fields: fields);
            else if (request.IsPods)
                MetricsJson.WritePodList(w, podArray, request.Version, now, labels, fields);
            else
                MetricsJson.WriteNodeList(w, nodeArray, request.Version, now, labels, fields);
        });
        return request.IsPods ? podArray.Length : nodeArray.Length;
    }

    private static void StartJson(HttpResponse response, ResponseFormat format)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.Table ? TableContentType : "application/json";
    }

    private static void WriteWith(HttpResponse response, ResponseFormat format, Action<Utf8JsonWriter> write)
    {
        using var writer = new Utf8JsonWriter(response.BodyWriter, format.Pretty ? MetricsJson.IndentedOptions : MetricsJson.CompactOptions);
        write(writer);
        writer.Flush();
    }

    // Go's json.Encoder ends every body with a newline; clients that compare bytes see the same.
    private static async Task FinishAsync(HttpResponse response)
    {
        response.BodyWriter.Write("\n"u8);
        await response.BodyWriter.FlushAsync();
    }

    private void ObserveFreshness(long nowNs, long timestampNs, int items)
    {
        if (timestampNs > 0 && items > 0)
            _selfMetrics.ObserveFreshness(Math.Max(0, (nowNs - timestampNs) / 1e9), items);
    }
}
