using System.Diagnostics.CodeAnalysis;
using System.Text;
using TinyMetrics.Discovery;

namespace TinyMetrics.Selectors;

/// <summary>
/// A parsed Kubernetes label selector: an AND of requirements, matched with upstream semantics
/// (<c>!=</c> and <c>notin</c> match objects without the key). Immutable and safe to share.
/// </summary>
public sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private readonly LabelRequirement[] _requirements;

    private LabelSelector(LabelRequirement[] requirements) => _requirements = requirements;

    /// <summary>True when the selector does not restrict anything.</summary>
    public bool IsEmpty => _requirements.Length == 0;

    /// <summary>Parses the <c>labelSelector</c> query value; null or blank means <see cref="Everything"/>.</summary>
    public static bool TryParse(string? text, out LabelSelector selector, [NotNullWhen(false)] out string? error)
    {
        selector = Everything;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var requirements = new List<LabelRequirement>();
        error = LabelSelectorParser.Parse(text, requirements);
        if (error is not null)
            return false;
        selector = From(requirements);
        return true;
    }

    public bool Matches(LabelSet labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
                return false;
        }
        return true;
    }

    /// <summary>Both selectors' requirements (e.g. the request's selector AND <c>--node-selector</c>).</summary>
    public LabelSelector And(LabelSelector other)
    {
        if (other.IsEmpty)
            return this;
        if (IsEmpty)
            return other;
        return From([.. _requirements, .. other._requirements]);
    }

    /// <summary>Upstream's canonical form: requirements sorted by key, e.g. <c>a in (x,y),b!=z</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < _requirements.Length; i++)
        {
            if (i > 0)
                builder.Append(',');
            _requirements[i].AppendTo(builder);
        }
        return builder.ToString();
    }

    private static LabelSelector From(List<LabelRequirement> requirements)
    {
        // Sorted by key, as upstream sorts them for a deterministic String().
        var sorted = requirements.ToArray();
        var keys = Array.ConvertAll(sorted, r => r.Key);
        Array.Sort(keys, sorted, StringComparer.Ordinal);
        return new LabelSelector(sorted);
    }
}
