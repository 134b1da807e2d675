namespace TinyMetrics.Simulator.Api;

/// <summary>What an <see cref="ApiFault"/> does to a request.</summary>
internal enum ApiFaultKind
{
    None,
    Unavailable,
    Slow,
    Hang,
}
