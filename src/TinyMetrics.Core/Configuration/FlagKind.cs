namespace TinyMetrics.Configuration;

// How a flag's value is read; decides whether it takes an argument and which Go parser it mirrors.
internal enum FlagKind
{
    Bool,
    String,
    Int,
    Level,
    Float,
    Duration,
    Ip,
    StringSlice,

    // Valued, but TinyMetrics never reads it (quantity, mapStringBool, namedCertKey …): taken verbatim.
    Text,
}
