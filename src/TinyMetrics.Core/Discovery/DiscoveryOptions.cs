namespace TinyMetrics.Discovery;

/// <summary>Tuning of list + watch; the defaults suit clusters from one node to tens of thousands.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>Items per list page (<c>limit=</c>), so a huge cluster never needs one giant response.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Server-side watch duration; each watch asks for a random value in [min, 2×min), as client-go does.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest single watch event or list page accepted; a larger one forces a relist.</summary>
    public int MaxEventBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Changes within this window are published as one <see cref="ClusterView"/>.</summary>
    public TimeSpan CoalesceInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}

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
