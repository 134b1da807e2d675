namespace TinyMetrics.Simulator.Api;

/// <summary>meta.k8s.io/v1 Table, what <c>kubectl get</c> asks for; cells are all strings here.</summary>
internal sealed class Table
{
    public string Kind { get; set; } = "Table";
    public string ApiVersion { get; set; } = "meta.k8s.io/v1";
    public ListMeta Metadata { get; set; } = new();
    public TableColumn[] ColumnDefinitions { get; set; } = [];
    public List<TableRow> Rows { get; set; } = [];
}

internal sealed class TableColumn
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "string";
    public string Format { get; set; } = "";
    public string Description { get; set; } = "";
    public int Priority { get; set; }
}

internal sealed class TableRow
{
    public string[] Cells { get; set; } = [];
    public object? Object { get; set; }
}
