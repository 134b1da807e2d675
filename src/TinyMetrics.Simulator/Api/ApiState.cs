using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Hosting;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Api;

/// <summary>Everything the API handlers share; the cluster itself is immutable.</summary>
internal sealed class ApiState
{
    private readonly Lock _restartGate = new();
    // Swapped (and the old one cancelled) to end every open watch with 410 Gone.
    private CancellationTokenSource _watchEpoch = new();

    // Swapped (and the old one cancelled) to end every open watch as a restarting kube-apiserver does: the stream just ends.
    private CancellationTokenSource _watchCloseEpoch = new();

    public ApiState(
        SimulatedCluster cluster, string directory, ClusterCertificates certificates, CertificateRotation rotation,
        KubeletModes modes, ContainerRestarts restarts, TimeProvider time)
    {
        Cluster = cluster;
        Directory = directory;
        Certificates = certificates;
        Rotation = rotation;
        Modes = modes;
        Restarts = restarts;
        Time = time;
        Changes = new ApiChanges(cluster.Nodes.Length, cluster.Pods.Length, SimulatedCluster.ListResourceVersion);
        Nodes = new NodeView(cluster, Changes, time);
        Pods = new PodView(cluster, Changes, time);
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>Where the simulator's files are (expected.json is rewritten when a container restarts).</summary>
    public string Directory { get; }

    public ClusterCertificates Certificates { get; }

    public CertificateRotation Rotation { get; }

    public ReviewPolicy Policy { get; } = new();

    public ApiFaults Faults { get; } = new();

    /// <summary>The Services' EndpointSlices the control endpoint defines (HA replicas' membership).</summary>
    public EndpointSlices EndpointSlices { get; } = new();

    public KubeletModes Modes { get; }

    public ContainerRestarts Restarts { get; }

    /// <summary>The kubelets that serve only the Summary API; none unless the host sets it.</summary>
    public SummaryOnlyKubelets SummaryOnly { get; init; } = new(0);

    public TimeProvider Time { get; }

    /// <summary>Which nodes and pods are deleted, and the log watches replay.</summary>
    public ApiChanges Changes { get; }

    public NodeView Nodes { get; }

    public PodView Pods { get; }

    /// <summary>Cancelled when the simulator stops, so long watches end and Kestrel can shut down.</summary>
    public CancellationToken Stopping { get; set; }

    public long ResourceVersion => Changes.Current;

    public CancellationToken WatchEpoch => Volatile.Read(ref _watchEpoch).Token;

    public CancellationToken WatchCloseEpoch => Volatile.Read(ref _watchCloseEpoch).Token;

    /// <summary>Ends every open watch without an event; the resourceVersion stays current, so a client may resume from it.</summary>
    public void CloseWatches() =>
        Interlocked.Exchange(ref _watchCloseEpoch, new CancellationTokenSource()).Cancel();

    /// <summary>Ends every open watch with a 410 ERROR event; older resourceVersions then count as too old.</summary>
    public void ExpireWatches()
    {
        Changes.Expire();
        // Not disposed: a watch that loaded the old token just before the swap may still link to it.
        Interlocked.Exchange(ref _watchEpoch, new CancellationTokenSource()).Cancel();
    }

    /// <summary>
    /// Restarts one container now (<see cref="ContainerRestarts"/>), at <paramref name="cpuNanoCores"/> or else at the rate it
    /// runs at, and rewrites expected.json with the rates served from now on; answers the new run.
    /// </summary>
    public ContainerRun RestartContainer(SimulatedPod pod, SimulatedContainer container, long? cpuNanoCores)
    {
        var node = Cluster.NodesByName[pod.NodeName];
        lock (_restartGate)
        {
            var rate = cpuNanoCores ?? Restarts.For(node.Index)?.Current(container).CpuNanoCores ?? container.CpuNanoCores;
            var run = Restarts.Restart(node, container, Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, rate);
            ExpectedFile.Write(Directory, Cluster, Restarts);
            return run;
        }
    }
}
