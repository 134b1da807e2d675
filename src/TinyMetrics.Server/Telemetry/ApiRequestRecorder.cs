using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using TinyMetrics.Http;

namespace TinyMetrics.Telemetry;

/// <summary>
/// The outermost middleware: times every request, counts its body bytes and, afterwards, records it in
/// <see cref="ApiServerMetrics"/> when upstream would. Upstream instruments the handlers (resource routes and
/// health checks, <see cref="RequestInfo.Instrumented"/>) and the max-in-flight filter's 429; a 401 or 403 from
/// the authentication and authorization filters is not counted (kubernetes#86063, #73336), nor are /metrics,
/// /openapi, discovery or unknown paths, which upstream serves without instrumentation.
/// </summary>
/// <remarks>The byte counter wraps the response body feature and is pooled, so steady state allocates nothing.</remarks>
internal sealed class ApiRequestRecorder
{
    private const int PoolSize = 64;

    private readonly ApiServerMetrics _metrics;
    private readonly ConcurrentQueue<CountingBody> _pool = new();

    public ApiRequestRecorder(ApiServerMetrics metrics) => _metrics = metrics;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        if (!_pool.TryDequeue(out var body))
            body = new CountingBody();
        body.Wrap(original);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        long written;
        try
        {
            await next(context);
        }
        finally
        {
            context.Features.Set(original);
            written = body.Written;
            body.Wrap(null);
            if (_pool.Count < PoolSize)
                _pool.Enqueue(body);
        }
        Record(context, Stopwatch.GetElapsedTime(started).TotalSeconds, context.Response.ContentLength ?? written);
    }

    private void Record(HttpContext context, double seconds, long bytes)
    {
        var info = context.Features.Get<RequestInfo>();
        if (info is null)
            return;
        var code = context.Response.StatusCode;
        // An unknown health check is a path upstream's mux never registered.
        if (info.Instrumented && !(info.IsHealth && code == StatusCodes.Status404NotFound))
            _metrics.Record(ApiRequestLabelling.Handler(info, context.Request), code, seconds, bytes);
        else if (code == StatusCodes.Status429TooManyRequests)
            _metrics.RecordDropped(ApiRequestLabelling.Dropped(info, context.Request));
    }

    /// <summary>Kestrel's body feature with a count of the bytes written through its PipeWriter; Stream writers set Content-Length.</summary>
    private sealed class CountingBody : PipeWriter, IHttpResponseBodyFeature
    {
        private IHttpResponseBodyFeature? _inner;

        public long Written { get; private set; }

        public Stream Stream => Inner.Stream;

        public PipeWriter Writer => this;

        public override bool CanGetUnflushedBytes => Inner.Writer.CanGetUnflushedBytes;

        public override long UnflushedBytes => Inner.Writer.UnflushedBytes;

        private IHttpResponseBodyFeature Inner => _inner ?? throw new InvalidOperationException("response finished");

        public void Wrap(IHttpResponseBodyFeature? inner)
        {
            _inner = inner;
            Written = 0;
        }

        public override void Advance(int bytes)
        {
            Written += bytes;
            Inner.Writer.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => Inner.Writer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => Inner.Writer.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => Inner.Writer.FlushAsync(cancellationToken);

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            Written += source.Length;
            return Inner.Writer.WriteAsync(source, cancellationToken);
        }

        public override void CancelPendingFlush() => Inner.Writer.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => Inner.Writer.Complete(exception);

        public void DisableBuffering() => Inner.DisableBuffering();

        public Task StartAsync(CancellationToken cancellationToken = default) => Inner.StartAsync(cancellationToken);

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            Inner.SendFileAsync(path, offset, count, cancellationToken);

        Task IHttpResponseBodyFeature.CompleteAsync() => Inner.CompleteAsync();
    }
}
