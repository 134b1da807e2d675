namespace TinyMetrics.Configuration;

// Generic apiserver flags TinyMetrics has no use for. Charts and distros pass them, so they parse
// (with the right kind, so a boolean never swallows the next argument) and only warn.
internal static partial class FlagTable
{
    private static FlagSpec[] Audit() =>
    [
        .. AuditBackend("log", batchMaxSize: "1", batchMaxWait: "", burst: "", throttle: "", qps: "", mode: "\"blocking\""),
        Flag.Ignored("audit-log-compress", FlagKind.Bool, "[ignored] Gzip rotated audit log files."),
        Flag.Ignored("audit-log-format", FlagKind.String, "[ignored] Audit log line format: legacy or json.", "\"json\""),
        Flag.Ignored("audit-log-maxage", FlagKind.Int, "[ignored] Days to keep rotated audit log files.", "366"),
        Flag.Ignored("audit-log-maxbackup", FlagKind.Int, "[ignored] Number of rotated audit log files to keep.", "100"),
        Flag.Ignored("audit-log-maxsize", FlagKind.Int, "[ignored] Megabytes before the audit log rotates.", "100"),
        Flag.Ignored("audit-log-path", FlagKind.String, "[ignored] File to write audit events to; '-' is standard out."),
        Flag.Ignored("audit-policy-file", FlagKind.String, "[ignored] Audit policy file."),
        .. AuditBackend("webhook", batchMaxSize: "400", batchMaxWait: "30s", burst: "15", throttle: "true", qps: "10", mode: "\"batch\""),
        Flag.Ignored("audit-webhook-config-file", FlagKind.String, "[ignored] Kubeconfig-format file of the audit webhook."),
        Flag.Ignored("audit-webhook-initial-backoff", FlagKind.Duration, "[ignored] Wait before the first retry of a failed audit webhook call.", "10s"),
    ];

    // The flag family shared by the log and webhook audit backends.
    private static FlagSpec[] AuditBackend(string backend, string batchMaxSize, string batchMaxWait, string burst, string throttle, string qps, string mode)
    {
        var p = "audit-" + backend + "-";
        return
        [
            Flag.Ignored(p + "batch-buffer-size", FlagKind.Int, "[ignored] Events buffered before batching.", "10000"),
            Flag.Ignored(p + "batch-max-size", FlagKind.Int, "[ignored] Largest audit batch.", batchMaxSize),
            Flag.Ignored(p + "batch-max-wait", FlagKind.Duration, "[ignored] Longest wait before writing a partial batch.", batchMaxWait),
            Flag.Ignored(p + "batch-throttle-burst", FlagKind.Int, "[ignored] Batches sent at once when under the QPS limit.", burst),
            Flag.Ignored(p + "batch-throttle-enable", FlagKind.Bool, "[ignored] Throttle audit batches.", throttle),
            Flag.Ignored(p + "batch-throttle-qps", FlagKind.Float, "float32", "[ignored] Average audit batches per second.", qps),
            Flag.Ignored(p + "mode", FlagKind.String, "[ignored] Audit sending strategy: batch, blocking or blocking-strict.", mode),
            Flag.Ignored(p + "truncate-enabled", FlagKind.Bool, "[ignored] Truncate large audit events and batches."),
            Flag.Ignored(p + "truncate-max-batch-size", FlagKind.Int, "[ignored] Largest audit batch in bytes.", "10485760"),
            Flag.Ignored(p + "truncate-max-event-size", FlagKind.Int, "[ignored] Largest audit event in bytes.", "102400"),
            Flag.Ignored(p + "version", FlagKind.String, "[ignored] API version of written audit events.", "\"audit.k8s.io/v1\""),
        ];
    }

    private static FlagSpec[] Features() =>
    [
        Flag.Ignored("contention-profiling", FlagKind.Bool, "[ignored] Enable block profiling."),
        Flag.Ignored("debug-socket-path", FlagKind.String, "[ignored] Unix socket serving profiling without authentication."),
        Flag.Ignored("enable-priority-and-fairness", FlagKind.Bool, "[ignored] Use API Priority and Fairness instead of max-in-flight.", "true"),
        Flag.Ignored("profiling", FlagKind.Bool, "[ignored] Serve /debug/pprof.", "true"),
    ];

    private static FlagSpec[] Generic() =>
    [
        Flag.Ignored("advertise-address", FlagKind.Ip, "[ignored] Address advertised to cluster members."),
        Flag.Ignored("cors-allowed-origins", FlagKind.StringSlice, "[ignored] Allowed CORS origins (regular expressions)."),
        Flag.Ignored("emulated-version", FlagKind.Text, "strings", "[ignored] Versions the components emulate.", ""),
        Flag.Ignored("emulation-forward-compatible", FlagKind.Bool, "[ignored] Enable APIs introduced after the emulated version."),
        Flag.Ignored("external-hostname", FlagKind.String, "[ignored] Hostname used in externally generated URLs."),
        Flag.Ignored("feature-gates", FlagKind.Text, "colonSeparatedMultimapStringString", "[ignored] key=value pairs of alpha/experimental features.", ""),
        Flag.Ignored("goaway-chance", FlagKind.Float, "[ignored] Probability of sending GOAWAY to an HTTP/2 client (0-0.02)."),
        Flag.Ignored("livez-grace-period", FlagKind.Duration, "[ignored] Startup time during which /livez is not enforced."),
        Flag.Ignored("max-mutating-requests-inflight", FlagKind.Int, "[ignored] Limit of concurrent mutating requests.", "200"),
        Flag.Ignored("max-requests-inflight", FlagKind.Int, "[ignored] Limit of concurrent non-mutating requests.", "400"),
        Flag.Ignored("min-compatibility-version", FlagKind.Text, "strings", "[ignored] Minimum compatibility versions of the components.", ""),
        Flag.Ignored("min-request-timeout", FlagKind.Int, "[ignored] Minimum watch timeout in seconds.", "1800"),
        Flag.Ignored("request-timeout", FlagKind.Duration, "[ignored] Default request timeout.", "1m0s"),
        Flag.Ignored("runtime-config-emulation-forward-compatible", FlagKind.Bool, "[ignored] Allow runtime-config to enable APIs newer than the emulated version."),
        Flag.Duration("shutdown-delay-duration", "Keep serving this long after a termination signal, so load balancers can stop sending requests.",
            static (o, v) => o with { ShutdownDelayDuration = v }, TimeSpan.Zero),
        Flag.Ignored("shutdown-send-retry-after", FlagKind.Bool, "[ignored] Answer 429 with Retry-After while shutting down."),
        Flag.Ignored("shutdown-watch-termination-grace-period", FlagKind.Duration, "[ignored] Grace period for watches to drain at shutdown."),
        Flag.Ignored("storage-initialization-timeout", FlagKind.Duration, "[ignored] Wait for storage initialization before /readyz passes.", "1m0s"),
        Flag.Ignored("strict-transport-security-directives", FlagKind.StringSlice, "[ignored] Directives of the HSTS header."),
    ];

    private static FlagSpec[] Logging() =>
    [
        Flag.Ignored("log-flush-frequency", FlagKind.Duration, "[ignored] Longest time between log flushes.", "5s"),
        Flag.Ignored("log-json-info-buffer-size", FlagKind.Text, "quantity", "[ignored] Buffer for info messages with split JSON streams.", ""),
        Flag.Ignored("log-json-split-stream", FlagKind.Bool, "[ignored] In JSON format, write errors to stderr and info to stdout."),
        Flag.Ignored("log-text-info-buffer-size", FlagKind.Text, "quantity", "[ignored] Buffer for info messages with split text streams.", ""),
        Flag.Ignored("log-text-split-stream", FlagKind.Bool, "[ignored] In text format, write errors to stderr and info to stdout."),
        Flag.String("logging-format", "Log format: \"text\" or \"json\".",
            static (o, v) => o with { LoggingFormat = v }, "text"),
        new()
        {
            Name = "v", Shorthand = 'v', Kind = FlagKind.Level, TypeName = "Level",
            Usage = "Log verbosity level.", Setter = static (o, v) => o with { Verbosity = (int)v.Integer },
        },
        Flag.Ignored("vmodule", FlagKind.Text, "pattern=N,...", "[ignored] Per-file verbosity (text format only).", ""),
    ];
}
