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

    // pflag's NamedCertKeyArray: "cert,key[:names]", appended on repetition, never split on commas.
    NamedCertKey,

    // Valued, but TinyMetrics never reads it (quantity, mapStringBool, namedCertKey …): taken verbatim.
    Text,
}
