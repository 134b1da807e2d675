using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// A watch: ADDED events for the current state when started from resourceVersion ""/"0" (or with sendInitialEvents,
/// ended by a BOOKMARK annotated k8s.io/initial-events-end), nothing when started
/// from the current one (the cluster does not change), an ERROR 410 event when started from an older one or when
/// the watches are expired. Then it holds the connection, with BOOKMARKs if allowed, until timeoutSeconds.
/// </summary>
internal sealed class WatchStream
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(10);

    private readonly ApiState _state;
    private readonly IResourceView _view;
    private readonly ListQuery _query;

    public WatchStream(ApiState state, IResourceView view, ListQuery query)
    {
        _state = state;
        _view = view;
        _query = query;
    }

    public async Task RunAsync(HttpContext context)
    {
        var epoch = _state.WatchEpoch;
        var current = _state.ResourceVersion;
        context.Response.ContentType = ApiResponses.Json;
        var body = context.Response.BodyWriter;
        var from = _query.ResourceVersion;
        // sendInitialEvents (the WatchList protocol) replays the state whatever the resourceVersion, then marks its end.
        var fromZero = from is null or "0" || _query.SendInitialEvents;
        if (!fromZero && long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) && rv < current)
        {
            WriteGone(body, rv, current);
            await body.FlushAsync(context.RequestAborted);
            return;
        }
        if (fromZero)
            await WriteInitialAsync(body, context.RequestAborted);
        if (_query.AllowBookmarks || _query.SendInitialEvents)
            WriteBookmark(body, current, initialEventsEnd: _query.SendInitialEvents);
        await body.FlushAsync(context.RequestAborted);
        await HoldAsync(context, body, current, epoch);
    }

    private async Task WriteInitialAsync(PipeWriter body, CancellationToken ct)
    {
        for (var i = 0; i < _view.Count; i++)
        {
            if (!_view.Matches(i, _query.Namespace, _query.Labels, _query.Fields))
                continue;
            WriteEvent(body, "ADDED", writer =>
            {
                if (_query.Mode == RenderMode.Metadata)
                    JsonSerializer.Serialize(writer, _view.MetadataOf(i), ApiJsonContext.Default.PartialObjectMetadata);
                else
                    _view.WriteObject(writer, i);
            });
            if (i % 256 == 255)
                await body.FlushAsync(ct);
        }
    }

    private async Task HoldAsync(HttpContext context, PipeWriter body, long current, CancellationToken epoch)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _state.Stopping, epoch);
        stop.CancelAfter(TimeSpan.FromSeconds(_query.TimeoutSeconds));
        try
        {
            while (true)
            {
                await Task.Delay(BookmarkInterval, _state.Time, stop.Token);
                if (_query.AllowBookmarks)
                {
                    WriteBookmark(body, current);
                    await body.FlushAsync(stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (epoch.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            WriteGone(body, current, _state.ResourceVersion);
            await body.FlushAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or shutdown: ending the response is how kube-apiserver closes a watch.
        }
    }

    private void WriteBookmark(PipeWriter body, long resourceVersion, bool initialEventsEnd = false)
    {
        var metadataOnly = _query.Mode == RenderMode.Metadata;
        var bookmark = new PartialObjectMetadata
        {
            Kind = metadataOnly ? "PartialObjectMetadata" : _view.Kind,
            ApiVersion = metadataOnly ? "meta.k8s.io/v1" : "v1",
            Metadata = new ObjectMeta
            {
                ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture),
                Annotations = initialEventsEnd ? new Dictionary<string, string> { ["k8s.io/initial-events-end"] = "true" } : null,
            },
        };
        WriteEvent(body, "BOOKMARK", writer => JsonSerializer.Serialize(writer, bookmark, ApiJsonContext.Default.PartialObjectMetadata));
    }

    private static void WriteGone(PipeWriter body, long requested, long current)
    {
        var status = ApiResponses.Failure(StatusCodes.Status410Gone, "Expired",
            $"too old resource version: {requested} ({current})");
        WriteEvent(body, "ERROR", writer => JsonSerializer.Serialize(writer, status, ApiJsonContext.Default.Status));
    }

    private static void WriteEvent(PipeWriter body, string type, Action<Utf8JsonWriter> writeObject)
    {
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            writeObject(writer);
            writer.WriteEndObject();
        }
        body.Write("\n"u8);
    }
}
