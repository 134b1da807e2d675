using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace TinyMetrics.Discovery;

/// <summary>
/// Decodes one watch event line and applies it to the sink, tracking the last resourceVersion
/// seen (the resume point). Used by one watcher task only.
/// </summary>
internal sealed class WatchEventDispatcher<TItem>
    where TItem : class, IKubeItem
{
    private readonly string _resource;
    private readonly JsonTypeInfo<WatchEvent<TItem>> _eventInfo;
    private readonly IWatchSink<TItem> _sink;
    private readonly ILogger _logger;

    public WatchEventDispatcher(string resource, JsonTypeInfo<WatchEvent<TItem>> eventInfo, IWatchSink<TItem> sink, ILogger logger)
    {
        _resource = resource;
        _eventInfo = eventInfo;
        _sink = sink;
        _logger = logger;
        OnLine = Dispatch;
    }

    public LineHandler OnLine { get; }

    /// <summary>The resume point; null means a relist is needed.</summary>
    public string? ResourceVersion { get; set; }

    /// <summary>Set when the server said 410 Gone in an ERROR event.</summary>
    public bool Expired { get; private set; }

    public int Events { get; private set; }

    public void BeginWatch()
    {
        Expired = false;
        Events = 0;
    }

    private bool Dispatch(ReadOnlySpan<byte> line)
    {
        WatchEvent<TItem>? watchEvent;
        try
        {
            watchEvent = JsonSerializer.Deserialize(line, _eventInfo);
        }
        catch (JsonException ex)
        {
            // A Status object does not fit the item shape (its "status" is a string): read it as one.
            if (TryReadStatus(line, out var code))
                return OnError(code);
            _logger.BadEvent(_resource, ex.Message);
            return true;
        }
        if (watchEvent?.Object is not { } item)
            return true;
        Events++;
        switch (watchEvent.Type)
        {
            case "ADDED" or "MODIFIED":
                _sink.Upsert(item);
                break;
            case "DELETED":
                _sink.Delete(item);
                break;
            case "ERROR":
                return OnError(item.Code);
        }
        if (item.ResourceVersion is { Length: > 0 } rv)
            ResourceVersion = rv;
        return true;
    }

    /// <summary>Ends the watch: relist on 410 Gone, otherwise retry from the last resourceVersion.</summary>
    private bool OnError(int code)
    {
        Expired = code == (int)HttpStatusCode.Gone;
        if (!Expired)
            _logger.WatchFailed(_resource, 0, "watch error event, code " + code.ToString(CultureInfo.InvariantCulture));
        return false;
    }

    private static bool TryReadStatus(ReadOnlySpan<byte> line, out int code)
    {
        code = 0;
        try
        {
            var status = JsonSerializer.Deserialize(line, KubeJsonContext.Default.WatchEventStatusObject);
            if (status is not { Type: "ERROR", Object: { } obj })
                return false;
            code = obj.Code;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
