using System.Globalization;
using System.Text.Json;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Api;

internal sealed class PodView : IResourceView
{
    private readonly SimulatedCluster _cluster;
    private readonly ApiChanges _changes;
    private readonly TimeProvider _time;

    public PodView(SimulatedCluster cluster, ApiChanges changes, TimeProvider time)
    {
        _cluster = cluster;
        _changes = changes;
        _time = time;
    }

    public string Kind => "Pod";

    public string Resource => "pods";

    public int Count => _cluster.Pods.Length;

    public TableColumn[] Columns { get; } =
    [
        new() { Name = "Name", Format = "name", Description = "Name must be unique within a namespace." },
        new() { Name = "Ready", Description = "The aggregate readiness state of this pod for accepting traffic." },
        new() { Name = "Status", Description = "The aggregate status of the containers in this pod." },
        new() { Name = "Restarts", Description = "The number of times the containers in this pod have been restarted." },
        new() { Name = "Age", Description = "CreationTimestamp is a timestamp representing the server time when this object was created." },
        new() { Name = "IP", Description = "IP address allocated to the pod.", Priority = 1 },
        new() { Name = "Node", Description = "Name of the Node this pod is scheduled on.", Priority = 1 },
    ];

    public bool Matches(int index, string? ns, LabelSelector labels, FieldSelector fields) =>
        !_changes.IsPodDeleted(index) && Selects(index, ns, labels, fields);

    public bool Holds(ApiChange change) => !change.Node;

    public bool Selects(int index, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var pod = _cluster.Pods[index];
        if (ns is not null && !string.Equals(pod.Namespace, ns, StringComparison.Ordinal))
            return false;
        return labels.Matches(pod.Labels) && fields.Matches(f => f switch
        {
            "metadata.name" => pod.Name,
            "metadata.namespace" => pod.Namespace,
            "status.phase" => "Running",
            "spec.nodeName" => pod.NodeName,
            _ => "",
        });
    }

    public int IndexOf(string? ns, string name) => _cluster.IndexOfPod(ns ?? "", name) is var i && i >= 0 && !_changes.IsPodDeleted(i) ? i : -1;

    public void WriteObject(Utf8JsonWriter writer, int index) =>
        JsonSerializer.Serialize(writer, ObjectRenderer.Pod(_cluster.Pods[index], _cluster), ApiJsonContext.Default.Pod);

    public PartialObjectMetadata MetadataOf(int index) => new() { Metadata = ObjectRenderer.Metadata(_cluster.Pods[index]) };

    public object ObjectOf(int index) => ObjectRenderer.Pod(_cluster.Pods[index], _cluster);

    public string[] Cells(int index)
    {
        var pod = _cluster.Pods[index];
        var n = pod.Containers.Length.ToString(CultureInfo.InvariantCulture);
        return [pod.Name, n + "/" + n, "Running", "0", Age.Format(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, pod.CreationUnixNanos), pod.PodIp, pod.NodeName];
    }
}
