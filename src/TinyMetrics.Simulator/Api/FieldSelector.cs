namespace TinyMetrics.Simulator.Api;

/// <summary>
/// Field selectors on the fields the API server indexes for pods and nodes: <c>metadata.name</c>,
/// <c>metadata.namespace</c>, <c>status.phase</c>, <c>spec.nodeName</c>; <c>=</c>, <c>==</c>, <c>!=</c>.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private static readonly string[] PodFields = ["metadata.name", "metadata.namespace", "status.phase", "spec.nodeName"];
    private static readonly string[] NodeFields = ["metadata.name", "spec.unschedulable"];

    private readonly (string Field, bool Equal, string Value)[] _terms;

    private FieldSelector((string, bool, string)[] terms) => _terms = terms;

    /// <summary><paramref name="fields"/> maps a field name to the object's value.</summary>
    public bool Matches(Func<string, string> fields)
    {
        foreach (var (field, equal, value) in _terms)
        {
            if (string.Equals(fields(field), value, StringComparison.Ordinal) != equal)
                return false;
        }
        return true;
    }

    public static bool TryParse(string? text, bool forPods, out FieldSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var allowed = forPods ? PodFields : NodeFields;
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var (at, len, equal) = part.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : part.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? (ee, 2, true)
                : (part.IndexOf('=', StringComparison.Ordinal), 1, true);
            if (at <= 0)
            {
                error = $"invalid selector: '{text}'; can't understand '{part}'";
                return false;
            }
            var field = part[..at].Trim();
            if (Array.IndexOf(allowed, field) < 0)
            {
                error = $"field label not supported: {field}";
                return false;
            }
            terms.Add((field, equal, part[(at + len)..].Trim()));
        }
        selector = new FieldSelector([.. terms]);
        return true;
    }
}
