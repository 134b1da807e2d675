namespace TinyMetrics.Configuration;

// What setting a flag does beyond (or instead of) changing ServerOptions.
internal enum FlagAction
{
    Set,
    Ignore,
    Help,
    Version,
}
