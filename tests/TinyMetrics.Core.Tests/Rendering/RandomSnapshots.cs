using TinyMetrics.Discovery;
using TinyMetrics.Storage;

namespace TinyMetrics.Rendering.Tests;

/// <summary>Deterministic random snapshots: a few namespaces, labels from a small vocabulary, some degenerate pods.</summary>
internal static class RandomSnapshots
{
    private static readonly string[] Keys = ["app", "tier", "example.com/team", "node-role.kubernetes.io/worker"];
    private static readonly string[] Values = ["a", "b", "x", "y", ""];

    public static MetricsSnapshot Create(int seed, int nodeCount, int podCount)
    {
        var random = new Random(seed);
        var nodes = new NodeMetricsValue[nodeCount];
        for (var i = 0; i < nodeCount; i++)
            nodes[i] = new NodeMetricsValue($"node-{i:D5}", Labels(random), Timestamp(random), Window(random), Cpu(random), Memory(random));
        var pods = new PodMetricsValue[podCount];
        for (var i = 0; i < podCount; i++)
        {
            var degenerate = random.Next(10) == 0;
            var containers = new ContainerMetricsValue[degenerate ? 0 : random.Next(1, 4)];
            for (var c = 0; c < containers.Length; c++)
                containers[c] = new ContainerMetricsValue($"c{c}", Cpu(random), Memory(random));
            pods[i] = new PodMetricsValue(
                $"ns-{i * 4 / Math.Max(1, podCount)}", $"pod-{i:D6}", Labels(random),
                degenerate ? 0 : Timestamp(random), degenerate ? 0 : Window(random), containers);
        }
        return new MetricsSnapshot(nodes, pods, nodeCount, podCount);
    }

    private static LabelSet Labels(Random random)
    {
        var pairs = new Dictionary<string, string>();
        var count = random.Next(0, Keys.Length + 1);
        for (var i = 0; i < count; i++)
            pairs[Keys[random.Next(Keys.Length)]] = Values[random.Next(Values.Length)];
        return LabelSet.From(pairs);
    }

    private static long Timestamp(Random random) => 1_700_000_000_000_000_000L + random.NextInt64(1_000_000_000_000);

    private static long Window(Random random) => random.Next(4) == 0 ? random.NextInt64(1, 100_000_000_000) : 15_000_000_000;

    private static ulong Cpu(Random random) => (ulong)random.NextInt64(0, 64_000_000_000);

    private static ulong Memory(Random random) => random.Next(3) == 0 ? (ulong)random.Next(1, 64) * 1024 * 1024 : (ulong)random.NextInt64(0, 1L << 36);
}
