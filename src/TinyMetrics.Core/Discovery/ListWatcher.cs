using System.Globalization;
using System.Net;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TinyMetrics.Kube;

namespace TinyMetrics.Discovery;

/// <summary>
/// Lists one collection page by page, then watches it from the list's resourceVersion, feeding a
/// sink. It resumes from the last seen resourceVersion after a dropped connection (with jittered,
/// capped backoff), relists on 410 Gone or an oversize event, and never throws except on cancellation.
/// </summary>
internal sealed class ListWatcher<TItem, TList>
    where TItem : class, IKubeItem
    where TList : class, IKubeList<TItem>
{
    private static readonly TimeSpan QuickClose = TimeSpan.FromSeconds(1);

    private readonly KubeApiClient _api;
    private readonly WatchedResource _resource;
    private readonly JsonTypeInfo<TList> _listInfo;
    private readonly IWatchSink<TItem> _sink;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JsonLineReader _reader;
    private readonly WatchEventDispatcher<TItem> _events;

    public ListWatcher(
        KubeApiClient api, WatchedResource resource, JsonTypeInfo<TList> listInfo, JsonTypeInfo<WatchEvent<TItem>> eventInfo,
        IWatchSink<TItem> sink, DiscoveryOptions options, TimeProvider time, ILogger logger)
    {
        _api = api;
        _resource = resource;
        _listInfo = listInfo;
        _sink = sink;
        _options = options;
        _time = time;
        _logger = logger;
        _reader = new JsonLineReader(options.MaxEventBytes);
        _events = new WatchEventDispatcher<TItem>(resource.Name, eventInfo, sink, logger);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            string? error = null;
            try
            {
                if (_events.ResourceVersion is null)
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                failures = await WatchOnceAsync(cancellationToken).ConfigureAwait(false) ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                error = ex.Message;
            }
            if (failures == 0)
                continue;
            var delay = Backoff.Delay(_options, failures);
            if (error is not null)
                _logger.WatchFailed(_resource.Name, delay.TotalMilliseconds, error);
            if (!await Backoff.WaitAsync(delay, _time, cancellationToken).ConfigureAwait(false))
                return;
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = _sink.BeginReplace();
        string? next = null;
        var resourceVersion = "";
        var restarts = 0;
        while (true)
        {
            var query = $"{_resource.Path}?limit={_options.PageSize}{_resource.SelectorQuery}";
            if (next is not null)
                query += "&continue=" + Uri.EscapeDataString(next);
            using var response = await _api.GetAsync(query, _resource.ListAccept, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Gone && next is not null)
            {
                // The continue token expired mid-list: start over for a consistent snapshot, once; a second
                // expiry in the same list goes through the caller's backoff rather than a tight loop.
                if (++restarts > 1)
                    throw new InvalidDataException("list continue token expired twice (410 Gone)");
                items = _sink.BeginReplace();
                next = null;
                continue;
            }
            EnsureSuccess(response);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var page = await JsonSerializer.DeserializeAsync(stream, _listInfo, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidDataException("empty list response");
                if (page.Items is { } pageItems)
                {
                    foreach (var item in pageItems)
                        items.Add(item);
                }
                resourceVersion = page.Metadata?.ResourceVersion ?? "";
                next = page.Metadata?.Continue is { Length: > 0 } token ? token : null;
            }
            if (next is null)
                break;
        }
        items.Commit(resourceVersion);
        _events.ResourceVersion = resourceVersion;
        _logger.Listed(_resource.Name, items.Count, resourceVersion);
    }

    /// <summary>Returns true when the watch ended normally (no backoff needed).</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var timeoutSeconds = (int)(_options.MinWatchTimeout.TotalSeconds * (1 + Random.Shared.NextDouble()));
        var query = string.Create(CultureInfo.InvariantCulture,
            $"{_resource.Path}?watch=true&resourceVersion={Uri.EscapeDataString(_events.ResourceVersion!)}&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}{_resource.SelectorQuery}");
        // A silently dead connection would otherwise hang the watch forever.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds + 30), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var response = await _api.GetAsync(query, _resource.WatchAccept, linked.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Gone)
            return Relist();
        EnsureSuccess(response);
        var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
        LineReadEnd end;
        await using (stream.ConfigureAwait(false))
        {
            _events.BeginWatch();
            try
            {
                end = await _reader.ReadAsync(stream, _events.OnLine, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return true;
            }
        }
        if (end == LineReadEnd.Oversize)
        {
            _logger.EventTooLarge(_resource.Name, _options.MaxEventBytes);
            _events.ResourceVersion = null;
            return true;
        }
        if (_events.Expired)
            return Relist();
        // An error event other than 410, or a server that closes at once, must not become a hot loop.
        return end == LineReadEnd.EndOfStream && (_events.Events > 0 || _time.GetElapsedTime(started) >= QuickClose);
    }

    private bool Relist()
    {
        _logger.WatchExpired(_resource.Name);
        _events.ResourceVersion = null;
        return true;
    }

    private static void EnsureSuccess(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"status \"{(int)response.StatusCode} {response.ReasonPhrase}\"", null, response.StatusCode);
    }
}

/// <summary>Receives what a <see cref="ListWatcher{TItem, TList}"/> reads; called from the watcher's task only.</summary>
internal interface IWatchSink<TItem>
{
    /// <summary>Starts a full relist; items are reduced page by page so a huge list is never held as raw objects.</summary>
    IReplaceBatch<TItem> BeginReplace();

    void Upsert(TItem item);

    void Delete(TItem item);
}

/// <summary>The pages of one full list; <see cref="Commit"/> makes them the complete contents, as of the list's resourceVersion.</summary>
internal interface IReplaceBatch<TItem>
{
    int Count { get; }

    void Add(TItem item);

    void Commit(string resourceVersion);
}

/// <summary>One collection to list and watch: its path, optional field and label selectors and Accept headers.</summary>
internal sealed record WatchedResource(string Name, string Path, string? FieldSelector, string ListAccept, string WatchAccept, string? LabelSelector = null)
{
    public const string Json = "application/json";

    public static readonly WatchedResource Nodes = new("nodes", "/api/v1/nodes", null, Json, Json);

    // Metadata-only: a Pod's spec and status are never transferred or decoded.
    public static readonly WatchedResource RunningPods = new(
        "pods",
        "/api/v1/pods",
        "status.phase=Running",
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json",
        "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json");

    public string SelectorQuery =>
        (FieldSelector is null ? "" : "&fieldSelector=" + Uri.EscapeDataString(FieldSelector))
        + (LabelSelector is null ? "" : "&labelSelector=" + Uri.EscapeDataString(LabelSelector));
}
