using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// A watch: ADDED events for the current state when started from resourceVersion ""/"0" (or with sendInitialEvents,
/// ended by a BOOKMARK annotated k8s.io/initial-events-end); from any later resourceVersion the deletions and
/// re-creations (<see cref="ApiChanges"/>) since, as DELETED and ADDED events; an ERROR 410 event when started from a
/// version older than the last expiry or when the watches are expired. Then it holds the connection, sending each
/// change as it happens and BOOKMARKs if allowed, until timeoutSeconds.
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
        var closeEpoch = _state.WatchCloseEpoch;
        var changed = _state.Changes.Changed;
        var current = _state.ResourceVersion;
        context.Response.ContentType = ApiResponses.Json;
        var body = context.Response.BodyWriter;
        var from = _query.ResourceVersion;
        // sendInitialEvents (the WatchList protocol) replays the state whatever the resourceVersion, then marks its end.
        var fromZero = from is null or "0" || _query.SendInitialEvents;
        if (!fromZero && long.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
        {
            var missed = _state.Changes.Since(rv);
            if (missed is null)
            {
                WriteGone(body, rv, current);
                await body.FlushAsync(context.RequestAborted);
                return;
            }
            current = WriteChanges(body, missed, rv);
        }
        if (fromZero)
            await WriteInitialAsync(body, context.RequestAborted);
        if (_query.AllowBookmarks || _query.SendInitialEvents)
            WriteBookmark(body, current, initialEventsEnd: _query.SendInitialEvents);
        await body.FlushAsync(context.RequestAborted);
        await HoldAsync(context, body, current, changed, epoch, closeEpoch);
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

    private async Task HoldAsync(HttpContext context, PipeWriter body, long current, Task changed, CancellationToken epoch, CancellationToken closeEpoch)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _state.Stopping, epoch, closeEpoch);
        stop.CancelAfter(TimeSpan.FromSeconds(_query.TimeoutSeconds));
        try
        {
            var bookmarkDue = _state.Time.GetUtcNow() + BookmarkInterval;
            while (true)
            {
                var wait = bookmarkDue - _state.Time.GetUtcNow();
                var tick = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _state.Time, stop.Token);
                await Task.WhenAny(tick, changed).WaitAsync(stop.Token);
                stop.Token.ThrowIfCancellationRequested();
                if (changed.IsCompleted)
                {
                    // Load the next signal first: a change after it is then either in this read or signals again.
                    changed = _state.Changes.Changed;
                    current = WriteChanges(body, _state.Changes.Since(current) ?? [], current);
                    await body.FlushAsync(stop.Token);
                    continue;
                }
                bookmarkDue = _state.Time.GetUtcNow() + BookmarkInterval;
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
            // Timeout, client gone, closed watches or shutdown: ending the response is how kube-apiserver closes a watch.
        }
    }

    // DELETED or ADDED for each change this watch selects; answers the resourceVersion it has sent up to.
    private long WriteChanges(PipeWriter body, ApiChange[] changes, long current)
    {
        foreach (var change in changes)
        {
            current = change.ResourceVersion;
            if (!_view.Holds(change) || !_view.Selects(change.Index, _query.Namespace, _query.Labels, _query.Fields))
                continue;
            var version = change.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            WriteEvent(body, change.Deleted ? "DELETED" : "ADDED", writer =>
            {
                if (_query.Mode == RenderMode.Metadata)
                {
                    var metadata = _view.MetadataOf(change.Index);
                    metadata.Metadata.ResourceVersion = version;
                    JsonSerializer.Serialize(writer, metadata, ApiJsonContext.Default.PartialObjectMetadata);
                    return;
                }
                switch (_view.ObjectOf(change.Index))
                {
                    case Node node:
                        node.Metadata.ResourceVersion = version;
                        JsonSerializer.Serialize(writer, node, ApiJsonContext.Default.Node);
                        break;
                    case Pod pod:
                        pod.Metadata.ResourceVersion = version;
                        JsonSerializer.Serialize(writer, pod, ApiJsonContext.Default.Pod);
                        break;
                }
            });
        }
        return current;
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
