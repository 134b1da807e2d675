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

    /// <summary>
    /// Parses the <c>labelSelector</c> query value; null, empty or only the lexer's blanks (space, tab, CR, LF)
    /// mean <see cref="Everything"/>. Any other blank, such as a vertical tab or U+00A0, is part of a key, as upstream.
    /// </summary>
    public static bool TryParse(string? text, out LabelSelector selector, [NotNullWhen(false)] out string? error)
    {
        selector = Everything;
        error = null;
        if (string.IsNullOrEmpty(text) || text.AsSpan().IndexOfAnyExcept(" \t\r\n") < 0)
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
        // Sorted by key, as upstream sorts them for a deterministic String(). Go's sort.Sort is an insertion sort
        // up to 12 elements, so repeated keys keep their written order ("!k,k" prints as written); a plain
        // introsort would not, hence the position as the tie-break.
        var order = new int[requirements.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) => string.CompareOrdinal(requirements[a].Key, requirements[b].Key) is var c and not 0 ? c : a.CompareTo(b));
        return new LabelSelector(Array.ConvertAll(order, i => requirements[i]));
    }
}
