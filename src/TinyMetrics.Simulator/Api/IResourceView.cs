using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>One resource (nodes or pods) as the generic list/get/watch handlers see it.</summary>
internal interface IResourceView
{
    string Kind { get; }

    string Resource { get; }

    int Count { get; }

    TableColumn[] Columns { get; }

    /// <summary>Selected by the query and not deleted.</summary>
    bool Matches(int index, string? ns, LabelSelector labels, FieldSelector fields);

    /// <summary>Selected by the query, deleted or not (a watch reports the deletion of what it selected).</summary>
    bool Selects(int index, string? ns, LabelSelector labels, FieldSelector fields);

    /// <summary>Whether a change of this kind (node or pod) concerns this view.</summary>
    bool Holds(ApiChange change);

    int IndexOf(string? ns, string name);

    void WriteObject(Utf8JsonWriter writer, int index);

    PartialObjectMetadata MetadataOf(int index);

    object ObjectOf(int index);

    string[] Cells(int index);
}
