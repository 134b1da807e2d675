using TinyMetrics.Configuration;
using TinyMetrics.Rendering;

namespace TinyMetrics.Http;

/// <summary>
/// The generic apiserver's WithRequestDeadline and WithTimeoutForNonLongRunningRequests in one filter, outside
/// authentication as upstream chains them: every request (none here is long-running: no watch, no proxy) gets a
/// deadline of --request-timeout, or of its <c>?timeout=</c> when that is positive and shorter. At the deadline
/// the handler's token (<see cref="HttpContext.RequestAborted"/>) is cancelled; a response not yet started is
/// answered 504 Timeout, one already on the wire is reset, as upstream's timeout writer aborts it.
/// A malformed <c>?timeout=</c> is 400 before anything else runs.
/// </summary>
/// <remarks>
/// The deadline's source, timer and link to the client's token come from <see cref="DeadlineSources"/> and go back
/// after the request, so a request that ends before its deadline allocates nothing here.
/// </remarks>
internal sealed class RequestDeadline
{
    private const string InvalidTimeout = "invalid timeout specified in the request URL";

    // Enough idle sources for the default --max-requests-inflight with room for the requests it turns away.
    private const int DefaultPoolCapacity = 1024;

    private static readonly Action<object?> CancelDeadline = static state => ((CancellationTokenSource)state!).Cancel();

    private readonly TimeSpan _requestTimeout;
    private readonly DeadlineSources _sources;

    public RequestDeadline(TimeSpan requestTimeout, TimeProvider time, int poolCapacity = DefaultPoolCapacity)
    {
        _requestTimeout = requestTimeout;
        _sources = new DeadlineSources(time, poolCapacity);
    }

    /// <summary>The reusable sources (tests).</summary>
    internal DeadlineSources Sources => _sources;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var timeout = _requestTimeout;
        if (context.Request.Query.TryGetValue("timeout", out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]))
        {
            if (!GoDuration.TryParse(values[0]!, out var asked, out var error))
                return StatusWriter.WriteAsync(context, KubeStatus.BadRequest(InvalidTimeout + " - " + error));
            // Zero or negative means "no timeout of the client's own"; longer than the server's is capped by it.
            if (asked > TimeSpan.Zero && asked < timeout)
                timeout = asked;
        }
        // --request-timeout=0 leaves requests unbounded.
        return timeout <= TimeSpan.Zero ? next(context) : RunAsync(context, next, timeout);
    }

    private async Task RunAsync(HttpContext context, RequestDelegate next, TimeSpan timeout)
    {
        var aborted = context.RequestAborted;
        var deadline = _sources.Rent(timeout);
        // The client going away cancels the handler as before; the deadline cancels it too.
        var link = aborted.UnsafeRegister(CancelDeadline, deadline);
        context.RequestAborted = deadline.Token;
        var timedOut = false;
        try
        {
            await next(context);
            // A handler that wrote its answer is done, however close to the deadline it finished.
            timedOut = !context.Response.HasStarted && deadline.IsCancellationRequested && !aborted.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The handler gave up at the deadline: a body half sent cannot turn into a Status any more.
            if (context.Response.HasStarted)
                context.Abort();
            else
                timedOut = true;
        }
        finally
        {
            context.RequestAborted = aborted;
            // Waits for a cancel callback already running, so the source is never reset under it.
            link.Dispose();
            _sources.Return(deadline);
        }
        if (!timedOut)
            return;
        context.Response.Clear();
        await StatusWriter.WriteAsync(context, KubeStatus.Timeout);
    }
}
