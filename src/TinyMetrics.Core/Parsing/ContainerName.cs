namespace TinyMetrics.Parsing;

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
