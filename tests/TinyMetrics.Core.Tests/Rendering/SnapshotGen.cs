using System.Text;
using CsCheck;
using TinyMetrics.Discovery;
using TinyMetrics.Storage;
using TinyMetrics.Tests;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// CsCheck generators of whole snapshots for the writer properties: names and label values that need JSON
/// escaping (quotes, backslashes, control characters, U+2028, astral characters), timestamps up to 2262, windows up
/// to Go's largest Duration, usage over the int64 range, pods without containers or timestamps.
/// </summary>
internal static class SnapshotGen
{
    /// <summary>A Unicode scalar value as a string: one char, or a surrogate pair above U+FFFF.</summary>
    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Int[0x20, 0x7e],
        Gen.Int[0, 0x1f],
        Gen.Int[0x7f, 0xd7ff],
        Gen.Int[0xe000, 0x10ffff]).Select(char.ConvertFromUtf32);

    private static readonly Gen<string> Awkward = FuzzBudget.Pick(
        "\"", "\\", "/", "\n", "\u0000", "\u2028", "\u2029", "</script>", "&amp;", "'", "+", "é", "😀", "\ufffd", "\uffff", "\u007f");

    /// <summary>Mostly plain Kubernetes names, sometimes anything a hostile kubelet or API could send.</summary>
    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-."], 1, 20],
        Gen.OneOf(Scalar, Awkward).Array[1, 10].Select(parts => string.Concat(parts)));

    // Label keys stay ASCII: Go sorts map keys by UTF-8 bytes and .NET by UTF-16 units, which agree only below U+D800;
    // apimachinery rejects non-ASCII keys anyway.
    private static readonly Gen<string> Key = Gen.OneOf(
        FuzzBudget.Pick("app", "tier", "example.com/team", "node-role.kubernetes.io/worker", "a\"b", "back\\slash", "tab\there"),
        Gen.String[Gen.Char[' ', '~'], 1, 12]);

    private static readonly Gen<LabelSet> Labels = Gen.Dictionary(Key, Text)[0, 5].Select(d => LabelSet.From(d));

    private static readonly Gen<long> TimestampNs = Gen.OneOf(
        Gen.Long[1_000_000_000, long.MaxValue],
        Gen.Long[1_600_000_000, 1_900_000_000].Select(Gen.Long[0, 999_999_999], (s, ns) => s * 1_000_000_000 + ns));

    private static readonly Gen<long> WindowNs = Gen.OneOf(
        Gen.Long[0, long.MaxValue],
        Gen.Long[0, 120_000_000_000],
        FuzzBudget.Pick("0", "1", "999", "1000", "15000000000", "3600000000000").Select(long.Parse));

    // metrics-server's uint64Quantity changes values beyond int64; QuantityCanonicalFuzzTests covers those.
    private static readonly Gen<ulong> Usage = Gen.OneOf(
        Gen.ULong[0, long.MaxValue],
        Gen.ULong[0, 100_000].Select(Gen.Int[0, 4], (m, p) => m * (ulong)Math.Pow(1024, p)),
        Gen.ULong[0, 100_000].Select(Gen.Int[0, 9], (m, p) => m * (ulong)Math.Pow(10, p)));

    public static readonly Gen<NodeMetricsValue> Node =
        Gen.Select(Text, Labels, TimestampNs, WindowNs, Usage, Usage, (name, labels, ts, w, cpu, mem) => new NodeMetricsValue(name, labels, ts, w, cpu, mem));

    private static readonly Gen<ContainerMetricsValue> Container =
        Gen.Select(Text, Usage, Usage, (name, cpu, mem) => new ContainerMetricsValue(name, cpu, mem));

    public static readonly Gen<PodMetricsValue> Pod = Gen.Select(
        Gen.OneOf(FuzzBudget.Pick("default", "kube-system"), Text), Text, Labels, Gen.Int[0, 9], TimestampNs, WindowNs, Container.Array[0, 4],
        (ns, name, labels, degenerate, ts, w, containers) => degenerate == 0
            ? new PodMetricsValue(ns, name, labels, 0, 0, [])
            : new PodMetricsValue(ns, name, labels, ts, w, containers));

    /// <summary>Distinct names, sorted as the store publishes them (ordinal).</summary>
    public static readonly Gen<MetricsSnapshot> Snapshot = Gen.Select(Node.Array[0, 6], Pod.Array[0, 8], (nodes, pods) =>
    {
        var byName = new SortedDictionary<string, NodeMetricsValue>(StringComparer.Ordinal);
        foreach (var node in nodes)
            byName.TryAdd(node.Name, node);
        var byKey = new SortedDictionary<(string, string), PodMetricsValue>(Comparer<(string, string)>.Create(
            (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var c and not 0 ? c : string.CompareOrdinal(a.Item2, b.Item2)));
        foreach (var pod in pods)
            byKey.TryAdd((pod.Namespace, pod.Name), pod);
        return new MetricsSnapshot([.. byName.Values], [.. byKey.Values], byName.Count, byKey.Count);
    });

    /// <summary>A request time: any instant the creationTimestamp can show.</summary>
    public static readonly Gen<long> Now = Gen.Long[0, long.MaxValue];

    public static string Describe(MetricsSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var n in snapshot.Nodes)
            text.Append("node ").Append(n).Append(" labels=").AppendJoin(';', n.Labels.Pairs.ToArray()).Append('\n');
        foreach (var p in snapshot.Pods)
        {
            text.Append("pod ").Append(p).Append(" labels=").AppendJoin(';', p.Labels.Pairs.ToArray())
                .Append(" containers=").AppendJoin(';', p.Containers).Append('\n');
        }
        return text.ToString();
    }
}
