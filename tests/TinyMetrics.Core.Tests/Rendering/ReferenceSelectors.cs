using TinyMetrics.Discovery;

namespace TinyMetrics.Rendering.Tests;

/// <summary>
/// The meaning of each selector the rendering tests use, written out by hand from the Kubernetes
/// selector rules (a missing key fails =, ==, in and exists, and passes !=, notin and !; a node's
/// metadata.namespace is ""), so the expected items never come from the production selector code.
/// </summary>
internal static class ReferenceSelectors
{
    private static readonly Dictionary<string, Func<LabelSet, bool>> Labels = new()
    {
        ["app=a"] = l => Value(l, "app") == "a",
        ["app!=a"] = l => Value(l, "app") != "a",
        ["tier in (x,y),app"] = l => Value(l, "tier") is "x" or "y" && Value(l, "app") is not null,
        ["!tier"] = l => Value(l, "tier") is null,
        ["example.com/team notin (a)"] = l => Value(l, "example.com/team") != "a",
        ["app==b"] = l => Value(l, "app") == "b",
        ["app"] = l => Value(l, "app") is not null,
        ["nope=1"] = _ => false,
    };

    private static readonly Dictionary<string, Func<string, string, bool>> Fields = new()
    {
        ["metadata.name=node-00003"] = (name, _) => name == "node-00003",
        ["metadata.name!=pod-000010"] = (name, _) => name != "pod-000010",
        ["metadata.namespace=ns-1"] = (_, ns) => ns == "ns-1",
        ["metadata.namespace!=ns-2"] = (_, ns) => ns != "ns-2",
    };

    public static bool Matches(string? labelText, string? fieldText, LabelSet labels, string name, string? ns) =>
        (labelText is null || Labels[labelText](labels)) && (fieldText is null || Fields[fieldText](name, ns ?? ""));

    private static string? Value(LabelSet labels, string key)
    {
        foreach (var (k, v) in labels.Pairs)
        {
            if (k == key)
                return v;
        }
        return null;
    }
}
