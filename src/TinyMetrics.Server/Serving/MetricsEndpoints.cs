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
    private readonly Action<double> _observeAge;
    private readonly TimeProvider _time;

    public MetricsEndpoints(SnapshotCell published, IClusterViewSource cluster, LabelSelector nodeSelector, SelfMetrics selfMetrics, TimeProvider time)
    {
        _published = published;
        _cluster = cluster;
        _nodeSelector = nodeSelector;
        _selfMetrics = selfMetrics;
        // One delegate for the server's life, so observing a list's item ages allocates nothing per request.
        _observeAge = age => _selfMetrics.ObserveFreshness(age);
        _time = time;
    }

    /// <summary>Answers a GET or HEAD whose <see cref="RequestInfo.Target"/> is a resource.</summary>
    public async Task HandleAsync(HttpContext context, RequestInfo info)
    {
        var request = info.Resource;
        // Negotiation comes first, as in the generic apiserver's get and list handlers.
        if (!ContentNegotiation.TryNegotiate(context.Request, resource: true, out var media))
        {
            await StatusWriter.WriteAsync(context, KubeStatus.NotAcceptable);
            return;
        }
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
        var format = ResponseFormat.From(context.Request, media);
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
            if (NotAcceptableTransform(format, isList: false, "*metrics.PodMetrics") is { } podRefusal)
                return StatusWriter.WriteAsync(context, podRefusal);
            if (format.Media.Convert == Conversion.PartialObjectMetadata)
                return WritePartialAsync(context.Response, format, [new MetadataItem(pod.Name, pod.Namespace, pod.Labels)], isList: false, now);
            return WriteItemAsync(context.Response, format,
                w => MetricsTable.WritePods(w, [pod], request.Version, now, format.IncludeObject, format.Media.MetaV1Beta1),
                w => MetricsJson.WritePod(w, pod, request.Version, now),
                b => view.Rendered.WritePod(b, request.Version, now, ns, name),
                b => view.Rendered.WritePodProtobuf(b, request.Version, now, ns, name));
        }

        var node = snapshot.FindNode(name);
        if (node is null)
        {
            var known = _cluster.Current.Nodes.ContainsKey(name);
            return StatusWriter.WriteAsync(context, known ? KubeStatus.NodeMetricsNotFound(name) : KubeStatus.NodeNotFound(name));
        }
        ObserveFreshness(now, node.TimestampNs, 1);
        if (NotAcceptableTransform(format, isList: false, "*metrics.NodeMetrics") is { } nodeRefusal)
            return StatusWriter.WriteAsync(context, nodeRefusal);
        if (format.Media.Convert == Conversion.PartialObjectMetadata)
            return WritePartialAsync(context.Response, format, [new MetadataItem(node.Name, null, node.Labels)], isList: false, now);
        return WriteItemAsync(context.Response, format,
            w => MetricsTable.WriteNodes(w, [node], request.Version, now, format.IncludeObject, format.Media.MetaV1Beta1),
            w => MetricsJson.WriteNode(w, node, request.Version, now),
            b => view.Rendered.WriteNode(b, request.Version, now, name),
            b => view.Rendered.WriteNodeProtobuf(b, request.Version, now, name));
    }

    // asPartialObjectMetadata[List] refuses the wrong shape with upstream's message (%T of the internal type).
    private static StatusResponse? NotAcceptableTransform(ResponseFormat format, bool isList, string goType) => format.Media.Convert switch
    {
        Conversion.PartialObjectMetadata when isList =>
            KubeStatus.NotAcceptableBecause($"you requested PartialObjectMetadata, but the requested object is a list ({goType})"),
        Conversion.PartialObjectMetadataList when !isList =>
            KubeStatus.NotAcceptableBecause($"you requested PartialObjectMetadataList, but the requested object is not a list ({goType})"),
        _ => null,
    };

    private static async Task WriteItemAsync(HttpResponse response, ResponseFormat format, Action<Utf8JsonWriter> table,
        Action<Utf8JsonWriter> pretty, Action<IBufferWriter<byte>> preRendered, Action<IBufferWriter<byte>> protobuf)
    {
        Start(response, format);
        if (format.Media.Kind == MediaKind.Protobuf)
        {
            protobuf(response.BodyWriter);
            await response.BodyWriter.FlushAsync();
            return;
        }
        if (format.Media.Kind == MediaKind.Yaml)
            WriteYaml(response, format.Table ? table : pretty);
        else if (format.Table)
            WriteWith(response, format, table);
        else if (format.Pretty)
            WriteWith(response, format, pretty);
        else
            preRendered(response.BodyWriter);
        await FinishAsync(response, format);
    }

    // YAML is the JSON model converted, as the apiserver's YAML serializer does; it ends with its own newline.
    private static void WriteYaml(HttpResponse response, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, MetricsJson.CompactOptions))
            write(writer);
        response.BodyWriter.Write(YamlText.FromJson(buffer.WrittenSpan));
    }

    private async Task ListAsync(HttpContext context, PublishedView view, ResourceRequest request, long now, ResponseFormat format, LabelSelector labels, FieldSelector fields)
    {
        var response = context.Response;
        var rendered = view.Rendered;
        if (NotAcceptableTransform(format, isList: true, request.IsPods ? "*metrics.PodMetricsList" : "*metrics.NodeMetricsList") is { } refusal)
        {
            await StatusWriter.WriteAsync(context, refusal);
            return;
        }
        if (format.Media.Convert == Conversion.PartialObjectMetadataList)
        {
            var matching = MatchingMetadata(rendered.Snapshot, request, labels, fields);
            await WritePartialAsync(response, format, matching, isList: true, now);
            rendered.ObserveListAges(request.IsPods, now, request.Namespace, labels, fields, _observeAge);
            return;
        }
        Start(response, format);
        if (format.Media.Kind == MediaKind.Protobuf)
            _ = request.IsPods
                ? await rendered.WritePodListProtobufAsync(response.BodyWriter, request.Version, now, request.Namespace, labels, fields, context.RequestAborted)
                : await rendered.WriteNodeListProtobufAsync(response.BodyWriter, request.Version, now, labels, fields, context.RequestAborted);
        else if (format.Table || format.Pretty || format.Media.Kind == MediaKind.Yaml)
            _ = WriteSlowList(response, rendered.Snapshot, request, now, format, labels, fields);
        else if (request.IsPods)
            _ = await rendered.WritePodListAsync(response.BodyWriter, request.Version, now, request.Namespace, labels, fields, context.RequestAborted);
        else
            _ = await rendered.WriteNodeListAsync(response.BodyWriter, request.Version, now, labels, fields, context.RequestAborted);
        rendered.ObserveListAges(request.IsPods, now, request.Namespace, labels, fields, _observeAge);
        await FinishAsync(response, format);
    }

    private static async Task WritePartialAsync(HttpResponse response, ResponseFormat format, List<MetadataItem> items, bool isList, long now)
    {
        Start(response, format);
        var v1beta1 = format.Media.MetaV1Beta1;
        Action<Utf8JsonWriter> json = isList
            ? w => PartialMetadata.WriteJsonList(w, items, v1beta1, now)
            : w => PartialMetadata.WriteJson(w, items[0], v1beta1, now);
        if (format.Media.Kind == MediaKind.Protobuf)
        {
            if (isList)
                PartialMetadata.WriteProtobufList(response.BodyWriter, items, v1beta1, now);
            else
                PartialMetadata.WriteProtobuf(response.BodyWriter, items[0], v1beta1, now);
        }
        else if (format.Media.Kind == MediaKind.Yaml)
            WriteYaml(response, json);
        else
            WriteWith(response, format, json);
        await FinishAsync(response, format);
    }

    private static List<MetadataItem> MatchingMetadata(MetricsSnapshot snapshot, ResourceRequest request, LabelSelector labels, FieldSelector fields)
    {
        var items = new List<MetadataItem>();
        if (request.IsPods)
        {
            foreach (var pod in request.Namespace is null ? snapshot.Pods : snapshot.PodsIn(request.Namespace))
            {
                if (labels.Matches(pod.Labels) && fields.Matches(pod.Name, pod.Namespace))
                    items.Add(new MetadataItem(pod.Name, pod.Namespace, pod.Labels));
            }
            return items;
        }
        foreach (var node in snapshot.Nodes)
        {
            if (labels.Matches(node.Labels) && fields.Matches(node.Name, null))
                items.Add(new MetadataItem(node.Name, null, node.Labels));
        }
        return items;
    }

    // Table and pretty output are for people and kubectl get; they render from the values, not the cached bytes.
    private static int WriteSlowList(HttpResponse response, MetricsSnapshot snapshot, ResourceRequest request, long now, ResponseFormat format, LabelSelector labels, FieldSelector fields)
    {
        var pods = request.Namespace is null ? snapshot.Pods : snapshot.PodsIn(request.Namespace);
        var podArray = request.IsPods ? pods.ToArray() : [];
        var nodeArray = request.IsPods ? [] : snapshot.Nodes.ToArray();
        Action<Utf8JsonWriter> write = w =>
        {
            var v1beta1 = format.Media.MetaV1Beta1;
            if (format.Table && request.IsPods)
                MetricsTable.WritePods(w, podArray, request.Version, now, format.IncludeObject, v1beta1, labels, fields);
            else if (format.Table)
                MetricsTable.WriteNodes(w, nodeArray, request.Version, now, format.IncludeObject, v1beta1, labels, fields);
            else if (request.IsPods)
                MetricsJson.WritePodList(w, podArray, request.Version, now, labels, fields);
            else
                MetricsJson.WriteNodeList(w, nodeArray, request.Version, now, labels, fields);
        };
        if (format.Media.Kind == MediaKind.Yaml)
            WriteYaml(response, write);
        else
            WriteWith(response, format, write);
        return request.IsPods ? podArray.Length : nodeArray.Length;
    }

    private static void Start(HttpResponse response, ResponseFormat format)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.Table && format.Media.Kind == MediaKind.Json && !format.Media.MetaV1Beta1 ? TableContentType : format.ContentType;
    }

    private static void WriteWith(HttpResponse response, ResponseFormat format, Action<Utf8JsonWriter> write)
    {
        using var writer = new Utf8JsonWriter(response.BodyWriter, format.Pretty ? MetricsJson.IndentedOptions : MetricsJson.CompactOptions);
        write(writer);
        writer.Flush();
    }

    // Go's json.Encoder ends every body with a newline; clients that compare bytes see the same.
    private static async Task FinishAsync(HttpResponse response, ResponseFormat format)
    {
        if (format.Media.Kind == MediaKind.Json)
            response.BodyWriter.Write("\n"u8);
        await response.BodyWriter.FlushAsync();
    }

    private void ObserveFreshness(long nowNs, long timestampNs, int items)
    {
        if (timestampNs > 0 && items > 0)
            _selfMetrics.ObserveFreshness(Math.Max(0, (nowNs - timestampNs) / 1e9), items);
    }
}
