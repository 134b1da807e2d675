namespace TinyMetrics.Discovery;

/// <summary>Exponential, capped, jittered retry delays, so many replicas do not retry in step.</summary>
internal static class Backoff
{
    public static TimeSpan Delay(DiscoveryOptions options, int failures)
    {
        var exponent = Math.Min(failures - 1, 16);
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * (1 << exponent));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    /// <summary>False when cancelled.</summary>
    public static async Task<bool> WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
