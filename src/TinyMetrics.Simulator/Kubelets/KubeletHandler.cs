using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>Serves every simulated kubelet; the node is the one whose IP the connection arrived on.</summary>
internal sealed class KubeletHandler
{
    /// <summary>Connection item: the serving-certificate generation the connection's handshake presented.</summary>
    public const string GenerationKey = "tinymetrics-sim.kubelet-certificate-generation";

    /// <summary>Connection item: set when the handshake presented a faulty certificate (a certificate fault mode).</summary>
    public const string FaultyCertificateKey = "tinymetrics-sim.kubelet-certificate-faulty";

    private const int HugeBytes = 64 * 1024 * 1024;

    private readonly SimulatedCluster _cluster;
    private readonly ClusterCertificates _certificates;
    private readonly KubeletModes _modes;
    private readonly ContainerRestarts _restarts;
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;
    private readonly SummaryOnlyKubelets? _summaryOnly;

    public KubeletHandler(
        SimulatedCluster cluster, ClusterCertificates certificates, KubeletModes modes, ContainerRestarts restarts, TimeProvider time, CancellationToken stopping,
        SummaryOnlyKubelets? summaryOnly = null)
    {
        _summaryOnly = summaryOnly;
        _cluster = cluster;
        _certificates = certificates;
        _modes = modes;
        _restarts = restarts;
        _time = time;
        _stopping = stopping;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var local = context.Connection.LocalIpAddress;
        if (local is null || !_cluster.NodesByEndpoint.TryGetValue(new IPEndPoint(Normalize(local), context.Connection.LocalPort), out var node))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (PresentsRetiredCertificate(context) || MissesCertificateFault(context, node))
            CloseAfterResponse(context);
        var path = context.Request.Path.Value;
        if (path is "/healthz")
        {
            await response.WriteAsync("ok", context.RequestAborted);
            return;
        }
        var summary = path is "/stats/summary";
        if (!summary && (path is not "/metrics/resource" || _summaryOnly?.Get(node.Index) == true))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            await response.WriteAsync("404 page not found\n", context.RequestAborted);
            return;
        }
        if (TokenAuthenticator.Authenticate(context.Request)?.User != TokenAuthenticator.MetricsServerUser)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            await response.WriteAsync("Unauthorized", context.RequestAborted);
            return;
        }
        _modes.Requests.Count(node.Index);
        var mode = _modes.Get(node.Index);
        // The Summary API shares the connection-level faults; body faults belong to the text endpoint.
        if (summary && mode is not (KubeletMode.Hang or KubeletMode.Error500 or KubeletMode.Refuse))
            KubeletSummaryWriter.WriteResponse(response, node, _time.GetUtcNow().ToUnixTimeMilliseconds(), _modes.ResetUnixNanos(node.Index), _restarts.For(node.Index));
        else
            await ServeMetricsAsync(context, node, mode);
    }

    private async Task ServeMetricsAsync(HttpContext context, SimulatedNode node, KubeletMode mode)
    {
        var response = context.Response;
        switch (mode)
        {
            case KubeletMode.Hang:
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, wait.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        context.Abort();
                    }
                }
                return;
            case KubeletMode.Error500:
                response.StatusCode = StatusCodes.Status500InternalServerError;
                await response.WriteAsync("Internal Error: failed to get node info: simulated failure\n", context.RequestAborted);
                return;
            case KubeletMode.Refuse:
                context.Abort();
                return;
            case KubeletMode.Slow:
                await WriteSlowlyAsync(context, node);
                return;
            case KubeletMode.Garbage:
                response.ContentType = KubeletMetricsWriter.ContentType;
                await response.Body.WriteAsync(Garbage, context.RequestAborted);
                return;
            case KubeletMode.NoSeries:
                response.ContentType = KubeletMetricsWriter.ContentType;
                await response.Body.WriteAsync(NoResourceSeries, context.RequestAborted);
                return;
            case KubeletMode.Html:
                response.ContentType = "text/html; charset=utf-8";
                await response.Body.WriteAsync(HtmlPage, context.RequestAborted);
                return;
            case KubeletMode.CloseMidBody:
                await WriteHalfThenCloseAsync(context, node);
                return;
        }
        response.ContentType = KubeletMetricsWriter.ContentType;
        // Restarts read before the clock: a restart never starts after the timestamp it is printed with.
        var restarts = _restarts.For(node.Index);
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timestampMs = KubeletBodyFaults.WriteTimeMs(mode, nowMs, _modes.SetUnixMs(node.Index));
        if (KubeletBodyFaults.Alters(mode))
        {
            var exact = new ArrayBufferWriter<byte>();
            KubeletMetricsWriter.Write(exact, node, timestampMs, _modes.ResetUnixNanos(node.Index), restarts);
            KubeletBodyFaults.Transform(exact.WrittenSpan, mode, nowMs, response.BodyWriter);
            return;
        }
        KubeletMetricsWriter.Write(response.BodyWriter, node, timestampMs, _modes.ResetUnixNanos(node.Index), restarts);
        if (mode == KubeletMode.Huge)
            await WritePaddingAsync(context);
    }

    // The length of the whole body is declared and half of it sent; the handler then ends. Kestrel, short of the
    // declared length, closes the connection once its output is out, so the client reads the status, the headers
    // and half a body, then end of stream. (Abort here would reset the connection before the output drained.)
    private async Task WriteHalfThenCloseAsync(HttpContext context, SimulatedNode node)
    {
        var body = new ArrayBufferWriter<byte>();
        KubeletMetricsWriter.Write(body, node, _time.GetUtcNow().ToUnixTimeMilliseconds(), _modes.ResetUnixNanos(node.Index), _restarts.For(node.Index));
        context.Response.ContentType = KubeletMetricsWriter.ContentType;
        context.Response.ContentLength = body.WrittenCount;
        context.Response.Headers.Connection = "close";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(body.WrittenMemory[..(body.WrittenCount / 2)], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    // One byte a second, each flushed: the client sees an answer that is always about to finish.
    private async Task WriteSlowlyAsync(HttpContext context, SimulatedNode node)
    {
        var body = new ArrayBufferWriter<byte>();
        KubeletMetricsWriter.Write(body, node, _time.GetUtcNow().ToUnixTimeMilliseconds(), _modes.ResetUnixNanos(node.Index), _restarts.For(node.Index));
        context.Response.ContentType = KubeletMetricsWriter.ContentType;
        context.Response.ContentLength = body.WrittenCount;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        try
        {
            await context.Response.StartAsync(stop.Token);
            for (var i = 0; i < body.WrittenCount; i++)
            {
                await context.Response.Body.WriteAsync(body.WrittenMemory.Slice(i, 1), stop.Token);
                await context.Response.Body.FlushAsync(stop.Token);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    private static async Task WritePaddingAsync(HttpContext context)
    {
        var line = "# padding padding padding padding padding padding padding padding padding padding padding\n"u8.ToArray();
        for (var written = 0; written < HugeBytes && !context.RequestAborted.IsCancellationRequested; written += line.Length)
        {
            context.Response.BodyWriter.Write(line);
            if (written % (64 * 1024) < line.Length)
                await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        }
    }

    private bool PresentsRetiredCertificate(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(GenerationKey, out var generation) == true
        && generation is int g && g != _certificates.KubeletServing.Generation;

    // A connection opened before a certificate fault was set still holds the good certificate: it is closed after
    // this answer, so the next scrape's handshake meets the faulty one.
    private bool MissesCertificateFault(HttpContext context, SimulatedNode node) =>
        KubeletModes.IsCertificateFault(_modes.Get(node.Index))
        && context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(FaultyCertificateKey) != true;

    // A kubelet restarted with a new certificate drops its connections; clients reconnect and meet the new one.
    private static void CloseAfterResponse(HttpContext context)
    {
        if (HttpProtocol.IsHttp2(context.Request.Protocol) || HttpProtocol.IsHttp3(context.Request.Protocol))
            context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        else
            context.Response.Headers.Connection = "close";
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // What a kubelet whose resource collector fails still writes: the scrape-error family and nothing to serve.
    private static ReadOnlyMemory<byte> NoResourceSeries { get; } =
        "# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE scrape_error gauge\nscrape_error 1\n"u8.ToArray();

    private static ReadOnlyMemory<byte> HtmlPage { get; } =
        "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>\n<body><form action=\"/login\"><input name=\"user\"></form></body></html>\n"u8.ToArray();

    private static ReadOnlyMemory<byte> Garbage { get; } =
        "<html><body>this is not prometheus text</body></html>\n{container_cpu_usage_seconds_total 1 2 3 4\n\u0000\u00ff"u8.ToArray();
}
