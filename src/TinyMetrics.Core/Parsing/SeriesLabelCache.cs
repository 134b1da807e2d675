using System.Text;

namespace TinyMetrics.Parsing;

/// <summary>
/// Every label set (<c>{…}</c> text) already validated, with the container it names. A kubelet repeats the
/// same label text in the cpu, memory and start-time families and from scrape to scrape, so a known label set
/// is neither re-validated nor re-searched: one hash and one compare replace both. Names are shared between
/// label sets through a second table, so equal names usually are one string instance.
/// </summary>
internal sealed class SeriesLabelCache
{
    private readonly Utf8Table<ContainerName> _labelSets = new();
    private readonly Utf8Table<string> _names = new();

    public int LabelSets => _labelSets.Count;

    public int Names => _names.Count;

    /// <summary>Finds a label set validated before; byte equality with a valid one makes this one valid.</summary>
    public bool TryGet(ReadOnlySpan<byte> labelSet, long nowNs, out ContainerName name) =>
        _labelSets.TryGetValue(labelSet, nowNs, out name);

    /// <summary>Remembers a freshly validated label set; a series that names no container maps to default.</summary>
    public ContainerName Add(ReadOnlySpan<byte> labelSet, long nowNs)
    {
        var name = ReadName(labelSet, nowNs);
        _labelSets.GetValueRefOrAddDefault(labelSet, nowNs, out _) = name;
        return name;
    }

    // Substring search up to the next quote, as upstream: label order is free and escapes are not decoded.
    private ContainerName ReadName(ReadOnlySpan<byte> labels, long nowNs)
    {
        if (!TryFindLabel(labels, MetricNames.ContainerTag, out var container)
            || !TryFindLabel(labels, MetricNames.PodTag, out var pod)
            || !TryFindLabel(labels, MetricNames.NamespaceTag, out var ns))
            return default;
        return ContainerName.Create(Intern(ns, nowNs), Intern(pod, nowNs), Intern(container, nowNs));
    }

    private string Intern(ReadOnlySpan<byte> utf8, long nowNs)
    {
        ref var name = ref _names.GetValueRefOrAddDefault(utf8, nowNs, out var exists);
        if (!exists)
            name = Encoding.UTF8.GetString(utf8);
        return name;
    }

    private static bool TryFindLabel(ReadOnlySpan<byte> labels, ReadOnlySpan<byte> tag, out ReadOnlySpan<byte> value)
    {
        value = default;
        var start = labels.IndexOf(tag);
        if (start < 0)
            return false;
        var rest = labels[(start + tag.Length)..];
        var end = rest.IndexOf((byte)'"');
        if (end < 0)
            return false;
        value = rest[..end];
        return true;
    }
}

/// <summary>
/// The labels of one container series. <see cref="Hash"/> and <see cref="PodHash"/> are content hashes
/// computed once when the label set is first seen, so merging the cpu, memory and start-time lines costs
/// no string hashing. The default value (null names) marks a series without all three labels.
/// </summary>
internal readonly record struct ContainerName(string Namespace, string Pod, string Container, int Hash, int PodHash)
{
    public bool IsContainer => Container is not null;

    public static ContainerName Create(string ns, string pod, string container)
    {
        var podHash = HashCode.Combine(ns, pod);
        return new ContainerName(ns, pod, container, HashCode.Combine(podHash, container), podHash);
    }

    public bool SameContainer(in ContainerName other) =>
        Hash == other.Hash && SamePod(other) && string.Equals(Container, other.Container, StringComparison.Ordinal);

    public bool SamePod(in ContainerName other) =>
        PodHash == other.PodHash
        && string.Equals(Pod, other.Pod, StringComparison.Ordinal)
        && string.Equals(Namespace, other.Namespace, StringComparison.Ordinal);
}
