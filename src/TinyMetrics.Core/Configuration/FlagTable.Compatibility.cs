namespace TinyMetrics.Configuration;

// Generic apiserver flags TinyMetrics has no use for. Upstream's manifests, its Helm chart and distros pass
// them, so they parse and only warn. Each keeps its pflag kind, so a boolean never swallows the next argument
// and a malformed value is still an error. One row per flag: name, kind, then the type word, default and usage
// exactly as --help prints them.
internal static partial class FlagTable
{
    // k8s.io/apiserver pkg/server/options/serving.go.
    private static Flag[] IgnoredSecureServing() => Ignored(
    [
        ("permit-address-sharing", FlagKind.Bool, "", "", "Bind with SO_REUSEADDR."),
        ("permit-port-sharing", FlagKind.Bool, "", "", "Bind with SO_REUSEPORT."),
        ("tls-curve-preferences", FlagKind.Text, "strings", "", "Elliptic curves to prefer for key exchange."),
    ]);

    // k8s.io/apiserver pkg/server/options/audit.go: the log and the webhook backend share one family.
    private static Flag[] IgnoredAudit() => Ignored(
    [
        ("audit-log-batch-buffer-size", FlagKind.Int, "int", "10000", "Events buffered before batching."),
        ("audit-log-batch-max-size", FlagKind.Int, "int", "1", "Largest audit batch."),
        ("audit-log-batch-max-wait", FlagKind.Duration, "duration", "", "Longest wait before writing a partial batch."),
        ("audit-log-batch-throttle-burst", FlagKind.Int, "int", "", "Batches sent at once when under the QPS limit."),
        ("audit-log-batch-throttle-enable", FlagKind.Bool, "", "", "Throttle audit batches."),
        ("audit-log-batch-throttle-qps", FlagKind.Float, "float32", "", "Average audit batches per second."),
        ("audit-log-compress", FlagKind.Bool, "", "", "Gzip rotated audit log files."),
        ("audit-log-format", FlagKind.String, "string", "\"json\"", "Audit log line format: legacy or json."),
        ("audit-log-maxage", FlagKind.Int, "int", "366", "Days to keep rotated audit log files."),
        ("audit-log-maxbackup", FlagKind.Int, "int", "100", "Number of rotated audit log files to keep."),
        ("audit-log-maxsize", FlagKind.Int, "int", "100", "Megabytes before the audit log rotates."),
        ("audit-log-mode", FlagKind.String, "string", "\"blocking\"", "Audit sending strategy: batch, blocking or blocking-strict."),
        ("audit-log-path", FlagKind.String, "string", "", "File to write audit events to; '-' is standard out."),
        ("audit-log-truncate-enabled", FlagKind.Bool, "", "", "Truncate large audit events and batches."),
        ("audit-log-truncate-max-batch-size", FlagKind.Int, "int", "10485760", "Largest audit batch in bytes."),
        ("audit-log-truncate-max-event-size", FlagKind.Int, "int", "102400", "Largest audit event in bytes."),
        ("audit-log-version", FlagKind.String, "string", "\"audit.k8s.io/v1\"", "API version of written audit events."),
        ("audit-policy-file", FlagKind.String, "string", "", "Audit policy file."),
        ("audit-webhook-batch-buffer-size", FlagKind.Int, "int", "10000", "Events buffered before batching."),
        ("audit-webhook-batch-max-size", FlagKind.Int, "int", "400", "Largest audit batch."),
        ("audit-webhook-batch-max-wait", FlagKind.Duration, "duration", "30s", "Longest wait before writing a partial batch."),
        ("audit-webhook-batch-throttle-burst", FlagKind.Int, "int", "15", "Batches sent at once when under the QPS limit."),
        ("audit-webhook-batch-throttle-enable", FlagKind.Bool, "", "true", "Throttle audit batches."),
        ("audit-webhook-batch-throttle-qps", FlagKind.Float, "float32", "10", "Average audit batches per second."),
        ("audit-webhook-config-file", FlagKind.String, "string", "", "Kubeconfig-format file of the audit webhook."),
        ("audit-webhook-initial-backoff", FlagKind.Duration, "duration", "10s", "Wait before the first retry of a failed audit webhook call."),
        ("audit-webhook-mode", FlagKind.String, "string", "\"batch\"", "Audit sending strategy: batch, blocking or blocking-strict."),
        ("audit-webhook-truncate-enabled", FlagKind.Bool, "", "", "Truncate large audit events and batches."),
        ("audit-webhook-truncate-max-batch-size", FlagKind.Int, "int", "10485760", "Largest audit batch in bytes."),
        ("audit-webhook-truncate-max-event-size", FlagKind.Int, "int", "102400", "Largest audit event in bytes."),
        ("audit-webhook-version", FlagKind.String, "string", "\"audit.k8s.io/v1\"", "API version of written audit events."),
    ]);

    // k8s.io/apiserver pkg/server/options/feature.go.
    private static Flag[] IgnoredFeatures() => Ignored(
    [
        ("contention-profiling", FlagKind.Bool, "", "", "Enable block profiling."),
        ("debug-socket-path", FlagKind.String, "string", "", "Unix socket serving profiling without authentication."),
        ("enable-priority-and-fairness", FlagKind.Bool, "", "true", "Use API Priority and Fairness instead of max-in-flight."),
        ("profiling", FlagKind.Bool, "", "true", "Serve /debug/pprof."),
    ]);

    // k8s.io/apiserver pkg/server/options/server_run_options.go; --feature-gates and the emulated and minimum
    // compatibility versions from component-base's feature gate and compatibility registry.
    private static Flag[] IgnoredGeneric() => Ignored(
    [
        ("advertise-address", FlagKind.Ip, "ip", "", "Address advertised to cluster members."),
        ("cors-allowed-origins", FlagKind.StringSlice, "strings", "", "Allowed CORS origins (regular expressions)."),
        ("emulated-version", FlagKind.Text, "strings", "", "Versions the components emulate."),
        ("emulation-forward-compatible", FlagKind.Bool, "", "", "Enable APIs introduced after the emulated version."),
        ("external-hostname", FlagKind.String, "string", "", "Hostname used in externally generated URLs."),
        ("feature-gates", FlagKind.Text, "colonSeparatedMultimapStringString", "", "key=value pairs of alpha/experimental features."),
        ("goaway-chance", FlagKind.Float, "float", "", "Probability of sending GOAWAY to an HTTP/2 client (0-0.02)."),
        ("livez-grace-period", FlagKind.Duration, "duration", "", "Startup time during which /livez is not enforced."),
        ("min-compatibility-version", FlagKind.Text, "strings", "", "Minimum compatibility versions of the components."),
        ("min-request-timeout", FlagKind.Int, "int", "1800", "Minimum watch timeout in seconds."),
        ("runtime-config-emulation-forward-compatible", FlagKind.Bool, "", "", "Allow runtime-config to enable APIs newer than the emulated version."),
        ("shutdown-send-retry-after", FlagKind.Bool, "", "", "Answer 429 with Retry-After while shutting down."),
        ("shutdown-watch-termination-grace-period", FlagKind.Duration, "duration", "", "Grace period for watches to drain at shutdown."),
        ("storage-initialization-timeout", FlagKind.Duration, "duration", "1m0s", "Wait for storage initialization before /readyz passes."),
        ("strict-transport-security-directives", FlagKind.StringSlice, "strings", "", "Directives of the HSTS header."),
    ]);

    // k8s.io/component-base logs/api/v1/options.go, apart from -v and --logging-format.
    private static Flag[] IgnoredLogging() => Ignored(
    [
        ("log-flush-frequency", FlagKind.Duration, "duration", "5s", "Longest time between log flushes."),
        ("log-json-info-buffer-size", FlagKind.Text, "quantity", "", "Buffer for info messages with split JSON streams."),
        ("log-json-split-stream", FlagKind.Bool, "", "", "In JSON format, write errors to stderr and info to stdout."),
        ("log-text-info-buffer-size", FlagKind.Text, "quantity", "", "Buffer for info messages with split text streams."),
        ("log-text-split-stream", FlagKind.Bool, "", "", "In text format, write errors to stderr and info to stdout."),
        ("vmodule", FlagKind.Text, "pattern=N,...", "", "Per-file verbosity (text format only)."),
    ]);

    private static Flag[] Ignored((string Name, FlagKind Kind, string Type, string Default, string Usage)[] rows)
    {
        var flags = new Flag[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            flags[i] = Flag.Ignored(rows[i].Name, rows[i].Kind, rows[i].Type, rows[i].Default, rows[i].Usage);
        return flags;
    }
}
