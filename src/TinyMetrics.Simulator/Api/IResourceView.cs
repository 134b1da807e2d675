using System.Text.Json;

namespace TinyMetrics.Simulator.Api;

/// <summary>One resource (nodes or pods) as the generic list/get/watch handlers see it.</summary>
internal interface IResourceView
{
    string Kind { get; }

    string Resource { get; }

    int Count { get; }

    TableColumn[] Columns { get; }

    bool Matches(int index, string? ns, LabelSelector labels, FieldSelector fields);

    int IndexOf(string? ns, string name);

    void WriteObject(Utf8JsonWriter writer, int index);

    PartialObjectMetadata MetadataOf(int index);

    object ObjectOf(int index);

    string[] Cells(int index);
}
