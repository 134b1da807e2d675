namespace TinyMetrics.Security;

/// <summary>
/// k8s.io/apiserver's MaxInFlightLimit filter (<c>pkg/server/filters/maxinflight.go</c>): at most
/// --max-requests-inflight non-mutating (get, list) and --max-mutating-requests-inflight mutating requests are
/// served at once; one more is answered 429 at once, never queued. Watches are long-running and not counted, and a
/// system:masters caller over the limit is still served. It runs after authentication, before authorization, as in
/// upstream's chain, so health probes count too.
/// </summary>
/// <remarks>Two interlocked counters: nothing is allocated or locked per request.</remarks>
internal sealed class MaxInFlightLimit
{
    private static readonly byte[] TooManyBody = "Too many requests, please try again later.\n"u8.ToArray();

    private readonly int _readOnlyLimit;
    private readonly int _mutatingLimit;

    // Requests being served now, per kind; raised before the check and lowered again on rejection, so a burst
    // can overshoot only transiently and only by the requests being rejected.
    private int _readOnly;
    private int _mutating;

    // The most served at once since the last TakePeaks, for apiserver_current_inflight_requests.
    private int _readOnlyPeak;
    private int _mutatingPeak;

    public MaxInFlightLimit(int readOnlyLimit, int mutatingLimit)
    {
        _readOnlyLimit = readOnlyLimit;
        _mutatingLimit = mutatingLimit;
    }

    public int ReadOnlyInFlight => Volatile.Read(ref _readOnly);

    /// <summary>Takes a slot for a request of <paramref name="verb"/> by <paramref name="user"/>; give it back with <see cref="Exit"/>.</summary>
    public InFlightAdmission Enter(string verb, RequestUser user)
    {
        if (verb == "watch")
            return InFlightAdmission.Untracked;
        var mutating = verb is not ("get" or "list");
        var limit = mutating ? _mutatingLimit : _readOnlyLimit;
        if (limit == 0)
            return InFlightAdmission.Untracked;
        ref var count = ref mutating ? ref _mutating : ref _readOnly;
        var now = Interlocked.Increment(ref count);
        if (now <= limit)
        {
            RaisePeak(ref mutating ? ref _mutatingPeak : ref _readOnlyPeak, now);
            return mutating ? InFlightAdmission.Mutating : InFlightAdmission.ReadOnly;
        }
        Interlocked.Decrement(ref count);
        return IsPrivileged(user) ? InFlightAdmission.Untracked : InFlightAdmission.Rejected;
    }

    /// <summary>
    /// The most requests of each kind served at once since the previous call, then restarts from the current
    /// counts: upstream's gauge is the maximum over its last window rather than a sample, so a burst between
    /// two scrapes still shows.
    /// </summary>
    public (int ReadOnly, int Mutating) TakePeaks() =>
        (Interlocked.Exchange(ref _readOnlyPeak, Volatile.Read(ref _readOnly)), Interlocked.Exchange(ref _mutatingPeak, Volatile.Read(ref _mutating)));

    public void Exit(InFlightAdmission admission)
    {
        if (admission == InFlightAdmission.ReadOnly)
            Interlocked.Decrement(ref _readOnly);
        else if (admission == InFlightAdmission.Mutating)
            Interlocked.Decrement(ref _mutating);
    }

    /// <summary>Upstream's answer: Go's http.Error text with Retry-After: 1 (a plain-text body, not a Status).</summary>
    public static Task WriteTooManyRequestsAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "1";
        response.Headers.XContentTypeOptions = "nosniff";
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = TooManyBody.Length;
        return response.Body.WriteAsync(TooManyBody).AsTask();
    }

    private static void RaisePeak(ref int peak, int value)
    {
        var seen = Volatile.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }

    private static bool IsPrivileged(RequestUser user)
    {
        foreach (var group in user.Groups)
        {
            if (group == SubjectAccessReviewAuthorizer.MastersGroup)
                return true;
        }
        return false;
    }
}

/// <summary>What <see cref="MaxInFlightLimit.Enter"/> decided: a counted slot of a kind, not counted, or 429.</summary>
internal enum InFlightAdmission
{
    Untracked,
    ReadOnly,
    Mutating,
    Rejected,
}
