namespace TinyMetrics.E2E.Infrastructure;

/// <summary>Reads `kubectl top` output: a header row and whitespace-separated columns.</summary>
public sealed class TopTable
{
    private readonly string[] _header;

    private TopTable(string[] header, List<string[]> rows)
    {
        _header = header;
        Rows = rows;
    }

    public IReadOnlyList<string[]> Rows { get; }

    public static TopTable Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var headerIndex = Array.FindIndex(lines, l => l.StartsWith("NAME", StringComparison.Ordinal) || l.StartsWith("POD", StringComparison.Ordinal));
        if (headerIndex < 0)
            throw new FormatException("no kubectl top header in:\n" + output);
        var header = Split(lines[headerIndex]);
        var rows = new List<string[]>();
        foreach (var line in lines[(headerIndex + 1)..])
        {
            var cells = Split(line);
            if (cells.Length == header.Length)
                rows.Add(cells);
        }
        return new TopTable(header, rows);
    }

    public string Cell(string[] row, string column)
    {
        var index = Array.IndexOf(_header, column);
        return index >= 0 ? row[index] : throw new KeyNotFoundException($"column {column} not in [{string.Join(", ", _header)}]");
    }

    /// <summary>"1234m" → 1234; "2" → 2000.</summary>
    public static long Millicores(string cell) =>
        cell.EndsWith('m') ? long.Parse(cell[..^1], System.Globalization.CultureInfo.InvariantCulture) : long.Parse(cell, System.Globalization.CultureInfo.InvariantCulture) * 1000;

    /// <summary>"512Mi" → 512.</summary>
    public static long Mebibytes(string cell) =>
        cell.EndsWith("Mi", StringComparison.Ordinal) ? long.Parse(cell[..^2], System.Globalization.CultureInfo.InvariantCulture) : throw new FormatException(cell);

    private static string[] Split(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
