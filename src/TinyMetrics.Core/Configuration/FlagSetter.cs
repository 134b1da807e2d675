namespace TinyMetrics.Configuration;

// Returns a copy of the options with one flag applied (a `with` expression: no reflection).
internal delegate ServerOptions FlagSetter(ServerOptions options, FlagValue value);
