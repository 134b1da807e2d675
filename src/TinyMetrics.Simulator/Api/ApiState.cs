using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Api;

/// <summary>Everything the API handlers share; the cluster itself is immutable.</summary>
internal sealed class ApiState
{
    private long _resourceVersion = SimulatedCluster.ListResourceVersion;

    // Swapped (and the old one cancelled) to end every open watch with 410 Gone.
    private CancellationTokenSource _watchEpoch = new();

    public ApiState(SimulatedCluster cluster, ClusterCertificates certificates, CertificateRotation rotation, KubeletModes modes, TimeProvider time)
    {
        Cluster = cluster;
        Certificates = certificates;
        Rotation = rotation;
        Modes = modes;
        Time = time;
        Nodes = new NodeView(cluster, time);
        Pods = new PodView(cluster, time);
    }

    public SimulatedCluster Cluster { get; }

    public ClusterCertificates Certificates { get; }

    public CertificateRotation Rotation { get; }

    public ReviewPolicy Policy { get; } = new();

    public KubeletModes Modes { get; }

    public TimeProvider Time { get; }

    public NodeView Nodes { get; }

    public PodView Pods { get; }

    /// <summary>Cancelled when the simulator stops, so long watches end and Kestrel can shut down.</summary>
    public CancellationToken Stopping { get; set; }

    public long ResourceVersion => Volatile.Read(ref _resourceVersion);

    public CancellationToken WatchEpoch => Volatile.Read(ref _watchEpoch).Token;

    /// <summary>Ends every open watch with a 410 ERROR event; older resourceVersions then count as too old.</summary>
    public void ExpireWatches()
    {
        Interlocked.Increment(ref _resourceVersion);
        // Not disposed: a watch that loaded the old token just before the swap may still link to it.
        Interlocked.Exchange(ref _watchEpoch, new CancellationTokenSource()).Cancel();
    }
}
