using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Tests;

namespace TinyMetrics.Http.Tests;

/// <summary>
/// --request-timeout and ?timeout= as upstream's request deadline, on a fake clock: a handler that waits on its
/// request token is cancelled exactly at the effective deadline and the client gets 504 Timeout; a malformed
/// ?timeout= is 400 before the handler runs; a handler that answered in time is left alone.
/// </summary>
public sealed class RequestDeadlineTests
{
    private const string TimeoutBody =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{},"code":504}""";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Test]
    [Arguments("", 60_000)]
    [Arguments("?timeout=2s", 2_000)]
    [Arguments("?timeout=1500ms", 1_500)]
    [Arguments("?timeout=10m", 60_000)]
    [Arguments("?timeout=0s", 60_000)]
    [Arguments("?timeout=-5s", 60_000)]
    public async Task SlowHandler_CancelledAtTheEffectiveDeadline_Answered504(string query, int deadlineMs)
    {
        var (context, body) = NewContext(query);
        var handler = new HangingHandler();

        var served = new RequestDeadline(TimeSpan.FromMinutes(1), _time).InvokeAsync(context, handler.InvokeAsync);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromMilliseconds(deadlineMs) - TimeSpan.FromTicks(1));
        await Assert.That(handler.Token.IsCancellationRequested).IsFalse();
        _time.Advance(TimeSpan.FromTicks(1));
        await served.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(handler.Cancelled).IsTrue();
        await Assert.That(context.Response.StatusCode).IsEqualTo(504);
        await Assert.That(context.Response.ContentType).IsEqualTo("application/json");
        await Assert.That(Encoding.UTF8.GetString(body.ToArray())).IsEqualTo(TimeoutBody);
    }

    [Test]
    [Arguments("?timeout=abc", "invalid timeout specified in the request URL - time: invalid duration \\\"abc\\\"")]
    [Arguments("?timeout=5", "invalid timeout specified in the request URL - time: missing unit in duration \\\"5\\\"")]
    public async Task MalformedTimeout_400BeforeTheHandler(string query, string message)
    {
        var (context, body) = NewContext(query);
        var called = false;

        await new RequestDeadline(TimeSpan.FromMinutes(1), _time).InvokeAsync(context, _ => { called = true; return Task.CompletedTask; });

        await Assert.That(called).IsFalse();
        await Assert.That(context.Response.StatusCode).IsEqualTo(400);
        await Assert.That(Encoding.UTF8.GetString(body.ToArray())).IsEqualTo(
            $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"{{message}}","reason":"BadRequest","code":400}""");
    }

    [Test]
    public async Task FastHandler_AnswerKept_TokenRestored()
    {
        var (context, body) = NewContext("?timeout=1s");
        var original = context.RequestAborted;

        await new RequestDeadline(TimeSpan.FromMinutes(1), _time).InvokeAsync(context, async c =>
        {
            c.Response.StatusCode = 200;
            await c.Response.Body.WriteAsync("ok"u8.ToArray());
        });
        _time.Advance(TimeSpan.FromSeconds(2));

        await Assert.That(context.Response.StatusCode).IsEqualTo(200);
        await Assert.That(Encoding.UTF8.GetString(body.ToArray())).IsEqualTo("ok");
        await Assert.That(context.RequestAborted).IsEqualTo(original);
    }

    [Test]
    public async Task HandlerMidBody_AtTheDeadline_ConnectionAborted()
    {
        var (context, _) = NewContext("");
        var lifetime = new RecordingLifetime();
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        context.Features.Set<IHttpResponseFeature>(new StartedResponse());
        var handler = new HangingHandler();

        var served = new RequestDeadline(TimeSpan.FromSeconds(5), _time).InvokeAsync(context, handler.InvokeAsync);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));
        await served.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(lifetime.Aborted).IsTrue();
    }

    [Test]
    public async Task ZeroRequestTimeout_NoDeadline()
    {
        var (context, _) = NewContext("");
        var original = context.RequestAborted;
        CancellationToken seen = default;

        await new RequestDeadline(TimeSpan.Zero, _time).InvokeAsync(context, c => { seen = c.RequestAborted; return Task.CompletedTask; });

        await Assert.That(seen).IsEqualTo(original);
    }

    [Test]
    public async Task FastRequests_ReuseOneDeadlineSource_AllocateNothing()
    {
        var (context, _) = NewContext("?timeout=30s");
        var deadline = new RequestDeadline(TimeSpan.FromMinutes(1), TimeProvider.System);
        CancellationToken first = default;
        CancellationToken last = default;
        RequestDelegate next = c => { last = c.RequestAborted; return Task.CompletedTask; };
        await deadline.InvokeAsync(context, next);
        first = last;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
            _ = deadline.InvokeAsync(context, next);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The token of one reused source: same source, not cancelled, back in the pool after each request.
        await Assert.That(last).IsEqualTo(first);
        await Assert.That(last.IsCancellationRequested).IsFalse();
        await Assert.That(deadline.Sources.IdleCount).IsEqualTo(1);
        await Assert.That(allocated).IsEqualTo(0);
    }

    [Test]
    public async Task TimedOutRequest_SourceNotReused_NextRequestGetsAFreshToken()
    {
        var (context, _) = NewContext("");
        var deadline = new RequestDeadline(TimeSpan.FromSeconds(5), _time);
        var handler = new HangingHandler();
        var served = deadline.InvokeAsync(context, handler.InvokeAsync);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(5));
        await served.WaitAsync(TimeSpan.FromSeconds(10));

        var (next, _) = NewContext("");
        CancellationToken seen = default;
        await deadline.InvokeAsync(next, c => { seen = c.RequestAborted; return Task.CompletedTask; });

        await Assert.That(handler.Token.IsCancellationRequested).IsTrue();
        await Assert.That(seen.IsCancellationRequested).IsFalse();
        await Assert.That(seen).IsNotEqualTo(handler.Token);
    }

    [Test]
    public async Task ClientGone_HandlerCancelled_No504()
    {
        var (context, body) = NewContext("");
        using var client = new CancellationTokenSource();
        context.RequestAborted = client.Token;
        var handler = new HangingHandler();

        var served = new RequestDeadline(TimeSpan.FromMinutes(1), _time).InvokeAsync(context, handler.InvokeAsync);
        await handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await client.CancelAsync();
        Exception? thrown = null;
        try
        {
            await served.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException ex)
        {
            thrown = ex;
        }

        await Assert.That(handler.Cancelled).IsTrue();
        await Assert.That(thrown).IsNotNull();
        await Assert.That(body.Length).IsEqualTo(0);
    }

    [Test]
    [NotInParallel("in-process-server")]
    public async Task Server_AccessReviewPastTheRequestTimeout_Answered504NotAReviewError()
    {
        await using var server = await InProcessServer.StartAsync("--request-timeout=2s");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Api.HoldAccessReviews = hold;
        using var client = server.Client("proxy");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis/metrics.k8s.io/v1beta1/nodes");
        request.Headers.Add("X-Remote-User", "waiting");
        request.Headers.Add("X-Remote-Group", "team");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        hold.SetResult();

        await Assert.That((int)response.StatusCode).IsEqualTo(504);
        await Assert.That(text).IsEqualTo(TimeoutBody);
    }

    private static (DefaultHttpContext Context, MemoryStream Body) NewContext(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/apis/metrics.k8s.io/v1beta1/nodes";
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;
        return (context, body);
    }

    // Waits on its request token, as a handler doing slow work does, and reports when it is cancelled.
    private sealed class HangingHandler
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token { get; private set; }

        public bool Cancelled { get; private set; }

        public async Task InvokeAsync(HttpContext context)
        {
            Token = context.RequestAborted;
            Started.SetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, Token);
            }
            catch (OperationCanceledException)
            {
                Cancelled = true;
                throw;
            }
        }
    }

    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }

    // A response whose headers are already on the wire.
    private sealed class StartedResponse : HttpResponseFeature
    {
        public override bool HasStarted => true;
    }
}
