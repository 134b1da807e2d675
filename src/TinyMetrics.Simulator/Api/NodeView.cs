using System.Text.Json;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Api;

internal sealed class NodeView : IResourceView
{
    private readonly SimulatedCluster _cluster;
    private readonly ApiChanges _changes;
    private readonly TimeProvider _time;

    public NodeView(SimulatedCluster cluster, ApiChanges changes, TimeProvider time)
    {
        _cluster = cluster;
        _changes = changes;
        _time = time;
    }

    public string Kind => "Node";

    public string Resource => "nodes";

    public int Count => _cluster.Nodes.Length;

    public TableColumn[] Columns { get; } =
    [
        new() { Name = "Name", Format = "name", Description = "Name must be unique within a namespace." },
        new() { Name = "Status", Description = "The status of the node" },
        new() { Name = "Roles", Description = "The roles of the node" },
        new() { Name = "Age", Description = "CreationTimestamp is a timestamp representing the server time when this object was created." },
        new() { Name = "Version", Description = "Kubelet Version reported by the node." },
        new() { Name = "Internal-IP", Description = "List of internal IPs in the node.", Priority = 1 },
    ];

    public bool Matches(int index, string? ns, LabelSelector labels, FieldSelector fields) =>
        !_changes.IsNodeDeleted(index) && Selects(index, ns, labels, fields);

    public bool Holds(ApiChange change) => change.Node;

    public bool Selects(int index, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var node = _cluster.Nodes[index];
        return labels.Matches(node.Labels)
            && fields.Matches(f => f == "metadata.name" ? node.Name : f == "spec.unschedulable" ? "false" : "");
    }

    public int IndexOf(string? ns, string name) =>
        _cluster.NodesByName.TryGetValue(name, out var node) && !_changes.IsNodeDeleted(node.Index) ? node.Index : -1;

    public void WriteObject(Utf8JsonWriter writer, int index) =>
        JsonSerializer.Serialize(writer, ObjectRenderer.Node(_cluster.Nodes[index], _cluster.StartUnixNanos), ApiJsonContext.Default.Node);

    public PartialObjectMetadata MetadataOf(int index) => new() { Metadata = ObjectRenderer.Metadata(_cluster.Nodes[index]) };

    public object ObjectOf(int index) => ObjectRenderer.Node(_cluster.Nodes[index], _cluster.StartUnixNanos);

    public string[] Cells(int index)
    {
        var node = _cluster.Nodes[index];
        return [node.Name, "Ready", "<none>", Age.Format(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000, node.CreationUnixNanos), node.Dialect == KubeletDialect.Legacy ? "v1.26.15" : "v1.33.0", node.Address];
    }
}
