namespace TinyMetrics.Configuration;

// A titled group of flags, printed together in --help as metrics-server's named flag sets are.
internal sealed record FlagSection(string Title, FlagSpec[] Flags);
