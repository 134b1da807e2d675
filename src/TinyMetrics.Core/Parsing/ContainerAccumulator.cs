using System.Runtime.InteropServices;

namespace TinyMetrics.Parsing;

/// <summary>
/// Merges the cpu, memory, start-time and swap lines of one container (the kubelet emits them in separate
/// families) into one point, groups containers by pod, and applies decode.go's pod drop rule (a pod with any incomplete container is dropped whole).
/// Keys compare by content through precomputed hashes; storage is reused, so a steady-state parse allocates nothing.
/// </summary>
internal sealed class ContainerAccumulator
{
    private readonly Dictionary<ContainerName, int> _containerIndex = new(ContainerComparer.Instance);
    private readonly Dictionary<ContainerName, int> _podIndex = new(PodComparer.Instance);
    private Entry[] _entries = new Entry[64];
    private PodEntry[] _pods = new PodEntry[32];
    private int _entryCount;
    private int _podCount;

    public void Clear()
    {
        _containerIndex.Clear();
        _podIndex.Clear();
        _entryCount = 0;
        _podCount = 0;
    }

    public ref Entry GetOrAdd(in ContainerName name)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(
            _containerIndex, name, out var exists);
        if (!exists)
            slot = Add(name);
        return ref _entries[slot];
    }

    /// <summary>Pods in order of first appearance, each pod's containers contiguous; incomplete pods are dropped whole.</summary>
    public void EmitTo(NodeBatch batch)
    {
        for (var p = 0; p < _podCount; p++)
        {
            if (!IsComplete(_pods[p].Head))
                continue;
            for (var i = _pods[p].Head; i >= 0; i = _entries[i].Next)
            {
                ref readonly var e = ref _entries[i];
                if (e.HasUsage)
                    batch.AddContainer(new ContainerSample(e.Namespace, e.Pod, e.Container, new MetricPoint(e.StartTimeNs, e.TimestampNs, e.CpuNanoSeconds, e.MemoryBytes, e.Swap)));
            }
        }
    }

    // A container with a zero (or invalid) cpu or memory, including one seen only in start time, drops its pod;
    // one seen only in swap is no container to upstream, and is skipped. A pod seen only in swap has no container left.
    private bool IsComplete(int head)
    {
        var any = false;
        for (var i = head; i >= 0; i = _entries[i].Next)
        {
            if (!_entries[i].HasUsage)
                continue;
            if (_entries[i].CpuNanoSeconds == 0 || _entries[i].MemoryBytes == 0)
                return false;
            any = true;
        }
        return any;
    }

    private int Add(in ContainerName name)
    {
        if (_entryCount == _entries.Length)
            Array.Resize(ref _entries, _entries.Length * 2);
        var id = _entryCount++;
        _entries[id] = new Entry { Namespace = name.Namespace, Pod = name.Pod, Container = name.Container, Next = -1 };

        ref var podSlot = ref CollectionsMarshal.GetValueRefOrAddDefault(_podIndex, name, out var podExists);
        if (!podExists)
        {
            if (_podCount == _pods.Length)
                Array.Resize(ref _pods, _pods.Length * 2);
            podSlot = _podCount++;
            _pods[podSlot] = new PodEntry { Head = id, Tail = id };
        }
        else
        {
            ref var pod = ref _pods[podSlot];
            _entries[pod.Tail].Next = id;
            pod.Tail = id;
        }
        return id;
    }

    internal struct Entry
    {
        public string Namespace;
        public string Pod;
        public string Container;
        public long StartTimeNs;
        public long TimestampNs;
        public ulong CpuNanoSeconds;
        public ulong MemoryBytes;
        public SwapUsage Swap;

        /// <summary>Seen in a cpu, memory or start-time series, the ones upstream reads.</summary>
        public bool HasUsage;
        public int Next;
    }

    private struct PodEntry
    {
        public int Head;
        public int Tail;
    }

    private sealed class ContainerComparer : IEqualityComparer<ContainerName>
    {
        public static readonly ContainerComparer Instance = new();

        public bool Equals(ContainerName x, ContainerName y) => x.SameContainer(y);

        public int GetHashCode(ContainerName obj) => obj.Hash;
    }

    private sealed class PodComparer : IEqualityComparer<ContainerName>
    {
        public static readonly PodComparer Instance = new();

        public bool Equals(ContainerName x, ContainerName y) => x.SamePod(y);

        public int GetHashCode(ContainerName obj) => obj.PodHash;
    }
}
