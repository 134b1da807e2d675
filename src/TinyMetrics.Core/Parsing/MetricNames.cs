namespace TinyMetrics.Parsing;

// The five kubelet series metrics-server's decode.go reads, and the two swap series (kubelet 1.29+) it ignores and we serve;
// every other series is validated and ignored.
internal static class MetricNames
{
    public static ReadOnlySpan<byte> NodeCpu => "node_cpu_usage_seconds_total"u8;

    public static ReadOnlySpan<byte> NodeMemory => "node_memory_working_set_bytes"u8;

    public static ReadOnlySpan<byte> ContainerCpu => "container_cpu_usage_seconds_total"u8;

    public static ReadOnlySpan<byte> ContainerMemory => "container_memory_working_set_bytes"u8;

    public static ReadOnlySpan<byte> ContainerStartTime => "container_start_time_seconds"u8;

    public static ReadOnlySpan<byte> NodeSwap => "node_swap_usage_bytes"u8;

    public static ReadOnlySpan<byte> ContainerSwap => "container_swap_usage_bytes"u8;

    // Upstream finds each label by substring search up to the next quote; label order is free and escapes are not decoded.
    public static ReadOnlySpan<byte> ContainerTag => "container=\""u8;

    public static ReadOnlySpan<byte> PodTag => "pod=\""u8;

    public static ReadOnlySpan<byte> NamespaceTag => "namespace=\""u8;
}
