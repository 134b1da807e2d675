using System.Globalization;
using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// discovery.k8s.io/v1 EndpointSlices, one per Service the control endpoint defines
/// (<c>POST /simulator/endpointslices?service=NS/NAME&amp;addresses=IP:PORT,…[&amp;notReady=IP,…]</c>): list and watch by
/// namespace and <c>kubernetes.io/service-name</c> label, as HA replicas read them. Every change is one MODIFIED (or
/// ADDED) event with its own resourceVersion; a watch replays the events after the version it names, then follows.
/// </summary>
internal sealed class EndpointSlices
{
    private const string ServiceLabel = "kubernetes.io/service-name";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, byte[]> _slices = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Namespace, string Service, byte[] Event)> _events = [];
    private long _version = 1;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sets the endpoints of <paramref name="ns"/>/<paramref name="service"/>; answers the new resourceVersion.</summary>
    public long Set(string ns, string service, IReadOnlyList<(string Address, int Port)> endpoints, ISet<string> notReady)
    {
        lock (_lock)
        {
            var version = ++_version;
            var key = ns + "/" + service;
            var type = _slices.ContainsKey(key) ? "MODIFIED" : "ADDED";
            var slice = Render(ns, service, version, endpoints, notReady);
            _slices[key] = slice;
            _events.Add((version, ns, service, RenderEvent(type, slice)));
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).SetResult();
            return version;
        }
    }

    public Task HandleAsync(HttpContext context, string ns, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var service = ServiceOf(query["labelSelector"].ToString());
        return query["watch"] == "true" || query["watch"] == "1"
            ? WatchAsync(context, ns, service, query["resourceVersion"].ToString(), query["timeoutSeconds"].ToString(), stopping)
            : ListAsync(context, ns, service);
    }

    private async Task ListAsync(HttpContext context, string ns, string? service)
    {
        List<byte[]> items = [];
        long version;
        lock (_lock)
        {
            version = _version;
            foreach (var (key, slice) in _slices)
            {
                if (Selected(key, ns, service))
                    items.Add(slice);
            }
        }
        context.Response.ContentType = ApiResponses.Json;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("kind", "EndpointSliceList");
        writer.WriteString("apiVersion", "discovery.k8s.io/v1");
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", version.ToString(CultureInfo.InvariantCulture));
        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var item in items)
            writer.WriteRawValue(item, skipInputValidation: true);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private async Task WatchAsync(HttpContext context, string ns, string? service, string fromText, string timeoutText, CancellationToken stopping)
    {
        _ = long.TryParse(fromText, CultureInfo.InvariantCulture, out var from);
        var timeout = int.TryParse(timeoutText, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        stop.CancelAfter(timeout);
        context.Response.ContentType = ApiResponses.Json;
        await context.Response.StartAsync(stop.Token);
        try
        {
            while (true)
            {
                Task changed;
                List<byte[]> pending = [];
                lock (_lock)
                {
                    changed = _changed.Task;
                    foreach (var e in _events)
                    {
                        if (e.Version > from && e.Namespace == ns && (service is null || e.Service == service))
                            pending.Add(e.Event);
                    }
                    from = _version;
                }
                foreach (var line in pending)
                {
                    await context.Response.Body.WriteAsync(line, stop.Token);
                    await context.Response.Body.WriteAsync("\n"u8.ToArray(), stop.Token);
                }
                await context.Response.Body.FlushAsync(stop.Token);
                await changed.WaitAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch's timeout, the client leaving, or the simulator stopping: the stream just ends.
        }
    }

    private static bool Selected(string key, string ns, string? service) =>
        key.StartsWith(ns + "/", StringComparison.Ordinal) && (service is null || key == ns + "/" + service);

    // Only the one selector HA replicas send: kubernetes.io/service-name=NAME.
    private static string? ServiceOf(string selector) =>
        selector.StartsWith(ServiceLabel + "=", StringComparison.Ordinal) ? selector[(ServiceLabel.Length + 1)..] : null;

    private static byte[] Render(string ns, string service, long version, IReadOnlyList<(string Address, int Port)> endpoints, ISet<string> notReady)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "EndpointSlice");
            writer.WriteString("apiVersion", "discovery.k8s.io/v1");
            writer.WriteStartObject("metadata");
            writer.WriteString("name", service + "-sim");
            writer.WriteString("namespace", ns);
            writer.WriteString("resourceVersion", version.ToString(CultureInfo.InvariantCulture));
            writer.WriteStartObject("labels");
            writer.WriteString(ServiceLabel, service);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteString("addressType", endpoints.Count > 0 && endpoints[0].Address.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4");
            writer.WriteStartArray("endpoints");
            foreach (var (address, _) in endpoints)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("addresses");
                writer.WriteStringValue(address);
                writer.WriteEndArray();
                var ready = !notReady.Contains(address);
                writer.WriteStartObject("conditions");
                writer.WriteBoolean("ready", ready);
                writer.WriteBoolean("serving", ready);
                writer.WriteBoolean("terminating", false);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("ports");
            if (endpoints.Count > 0)
            {
                writer.WriteStartObject();
                writer.WriteString("name", "https");
                writer.WriteNumber("port", endpoints[0].Port);
                writer.WriteString("protocol", "TCP");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] RenderEvent(string type, byte[] slice)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            writer.WriteRawValue(slice, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
