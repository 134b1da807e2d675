using System.Text;

namespace TinyMetrics.Parsing.Tests;

internal static class ParserHarness
{
    /// <summary>2077-07-07T07:07:07Z in Unix ns, a millisecond-aligned request time.</summary>
    public const long DefaultNs = 3_392_867_227_000_000_000;

    public static (bool Ok, NodeBatch Batch, string? Error) Parse(string body, long defaultNs = DefaultNs) =>
        Parse(Encoding.UTF8.GetBytes(body), defaultNs);

    public static (bool Ok, NodeBatch Batch, string? Error) Parse(ReadOnlySpan<byte> body, long defaultNs = DefaultNs)
    {
        var batch = new NodeBatch();
        var ok = new ResourceMetricsParser().TryParse(body, defaultNs, batch, out var error);
        return (ok, batch, error);
    }

    public static ContainerSample Find(NodeBatch batch, string pod, string container)
    {
        foreach (var sample in batch.Containers)
        {
            if (sample.Pod == pod && sample.Container == container)
                return sample;
        }
        throw new InvalidOperationException($"{pod}/{container} not in batch");
    }

    public static int CountPods(NodeBatch batch)
    {
        var pods = new HashSet<(string, string)>();
        foreach (var sample in batch.Containers)
            pods.Add((sample.Namespace, sample.Pod));
        return pods.Count;
    }
}
