using System.Text;
using TinyMetrics.Cycle;
using TinyMetrics.Http;

namespace TinyMetrics.Serving;

/// <summary>
/// /healthz, /livez and /readyz with the generic apiserver's check names, order and bodies, so
/// probes, dashboards and scripts written for metrics-server read the same text.
/// </summary>
internal sealed class HealthEndpoints
{
    private readonly HealthCheck[] _healthz;
    private readonly HealthCheck[] _livez;
    private readonly HealthCheck[] _readyz;

    public HealthEndpoints(HealthState state)
    {
        HealthCheck ping = new("ping", static () => null);
        HealthCheck log = new("log", static () => null);
        HealthCheck maxInFlight = new("poststarthook/max-in-flight-filter", static () => null);
        HealthCheck objectCount = new("poststarthook/storage-object-count-tracker-hook", static () => null);
        HealthCheck metadataSync = new("metadata-informer-sync", state.MetadataInformerSynced);
        _healthz = [ping, log, maxInFlight, objectCount, metadataSync];
        _livez = [ping, log, maxInFlight, objectCount, new("metric-collection-timely", state.CollectionTimely), metadataSync];
        _readyz = [ping, log, maxInFlight, objectCount, new("metric-storage-ready", state.StorageReady),
            new("metric-informer-sync", state.InformersSynced), metadataSync, new("shutdown", state.NotShuttingDown)];
    }

    /// <summary>Answers a request whose <see cref="RequestInfo.IsHealth"/> holds.</summary>
    public Task HandleAsync(HttpContext context, RequestInfo request)
    {
        var (endpoint, checks) = request.Target switch
        {
            RequestTarget.Healthz => ("healthz", _healthz),
            RequestTarget.Livez => ("livez", _livez),
            _ => ("readyz", _readyz),
        };
        if (request.HealthCheck is { } name)
            return HandleSingle(context, checks, name);

        var query = context.Request.Query;
        var (code, body) = Evaluate(endpoint, checks, query.ContainsKey("verbose"), query["exclude"]);
        return WriteText(context, code, body);
    }

    internal static (int Code, string Body) Evaluate(string endpoint, HealthCheck[] checks, bool verbose, IEnumerable<string?> excludes)
    {
        var excluded = new List<string>();
        foreach (var e in excludes)
        {
            if (!string.IsNullOrWhiteSpace(e))
                excluded.Add(e.Trim());
        }
        var output = new StringBuilder();
        var failed = false;
        foreach (var check in checks)
        {
            if (excluded.Remove(check.Name))
            {
                output.Append("[+]").Append(check.Name).Append(" excluded: ok\n");
                continue;
            }
            if (check.Run() is null)
            {
                output.Append("[+]").Append(check.Name).Append(" ok\n");
            }
            else
            {
                failed = true;
                output.Append("[-]").Append(check.Name).Append(" failed: reason withheld\n");
            }
        }
        if (excluded.Count > 0)
            output.Append("warn: some health checks cannot be excluded: no matches for \"").AppendJoin("\",\"", excluded).Append("\"\n");
        if (failed)
            return (500, output.Append(endpoint).Append(" check failed\n").ToString());
        return verbose ? (200, output.Append(endpoint).Append(" check passed\n").ToString()) : (200, "ok");
    }

    private static Task HandleSingle(HttpContext context, HealthCheck[] checks, string name)
    {
        foreach (var check in checks)
        {
            if (check.Name == name)
            {
                var error = check.Run();
                return error is null ? WriteText(context, 200, "ok") : WriteText(context, 500, "internal server error: " + error + "\n");
            }
        }
        return WriteText(context, 404, "404 page not found\n");
    }

    private static Task WriteText(HttpContext context, int code, string body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return context.Response.WriteAsync(body);
    }
}

internal sealed record HealthCheck(string Name, Func<string?> Run);
