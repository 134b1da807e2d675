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
internal sealed class RequestDeadline
{
    private const string InvalidTimeout = "invalid timeout specified in the request URL";

    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;

    public RequestDeadline(TimeSpan requestTimeout, TimeProvider time)
    {
        _requestTimeout = requestTimeout;
        _time = time;
    }

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
        using var deadline = new CancellationTokenSource(timeout, _time);
        // The client going away cancels the handler as before; the deadline cancels it too.
        await using var link = aborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        context.RequestAborted = deadline.Token;
        try
        {
            await next(context);
            // A handler that wrote its answer is done, however close to the deadline it finished.
            if (context.Response.HasStarted || !deadline.IsCancellationRequested || aborted.IsCancellationRequested)
                return;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The handler gave up at the deadline: a body half sent cannot turn into a Status any more.
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
        }
        finally
        {
            context.RequestAborted = aborted;
        }
        context.Response.Clear();
        await StatusWriter.WriteAsync(context, KubeStatus.Timeout);
    }
}
