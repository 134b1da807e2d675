using System.Text.Encodings.Web;
using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>Shared writer options and the constant UTF-8 fragments of the metrics objects.</summary>
internal static class JsonText
{
    // Go's encoding/json writes non-ASCII as raw UTF-8 ("1µs"); the default encoder would write \u00B5.
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>For pre-rendering, where the item writers are covered by tests against validated output.</summary>
    public static readonly JsonWriterOptions Trusted = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // Go's json.Indent with two spaces, as upstream answers ?pretty=true.
    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, IndentSize = 2, NewLine = "\n" };

    public static ReadOnlySpan<byte> GroupVersion(ApiVersion version) =>
        version == ApiVersion.V1 ? "metrics.k8s.io/v1"u8 : "metrics.k8s.io/v1beta1"u8;

    public static ReadOnlySpan<byte> NodeListHeader(ApiVersion version) => version == ApiVersion.V1
        ? """{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1","metadata":{},"items":["""u8
        : """{"kind":"NodeMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["""u8;

    public static ReadOnlySpan<byte> PodListHeader(ApiVersion version) => version == ApiVersion.V1
        ? """{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1","metadata":{},"items":["""u8
        : """{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":["""u8;

    /// <summary>A single object's opening, to be followed by a pre-rendered item minus its leading '{'.</summary>
    public static ReadOnlySpan<byte> NodePrefix(ApiVersion version) => version == ApiVersion.V1
        ? """{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1","""u8
        : """{"kind":"NodeMetrics","apiVersion":"metrics.k8s.io/v1beta1","""u8;

    public static ReadOnlySpan<byte> PodPrefix(ApiVersion version) => version == ApiVersion.V1
        ? """{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1","""u8
        : """{"kind":"PodMetrics","apiVersion":"metrics.k8s.io/v1beta1","""u8;

    public static ReadOnlySpan<byte> ListFooter => "]}"u8;
}
