using System.Globalization;
using System.Text;
using TinyMetrics.Discovery;

namespace TinyMetrics.Selectors;

/// <summary>One term of a label selector; <see cref="Values"/> is sorted and distinct, as upstream's sets.String.</summary>
internal readonly record struct LabelRequirement(string Key, SelectorOperator Operator, string[] Values)
{
    // Upstream semantics: != and notin also match objects that lack the key.
    public bool Matches(LabelSet labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            SelectorOperator.In or SelectorOperator.Equals or SelectorOperator.DoubleEquals => has && HasValue(value),
            SelectorOperator.NotIn or SelectorOperator.NotEquals => !has || !HasValue(value),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            SelectorOperator.GreaterThan or SelectorOperator.LessThan => has && CompareInteger(value),
            _ => false,
        };
    }

    private bool HasValue(string value)
    {
        foreach (var candidate in Values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    private bool CompareInteger(string value)
    {
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual)
            || !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
            return false;
        return Operator == SelectorOperator.GreaterThan ? actual > bound : actual < bound;
    }

    public void AppendTo(StringBuilder builder)
    {
        if (Operator == SelectorOperator.DoesNotExist)
            builder.Append('!');
        builder.Append(Key);
        var (op, set) = Operator switch
        {
            SelectorOperator.Equals => ("=", false),
            SelectorOperator.DoubleEquals => ("==", false),
            SelectorOperator.NotEquals => ("!=", false),
            SelectorOperator.In => (" in ", true),
            SelectorOperator.NotIn => (" notin ", true),
            SelectorOperator.GreaterThan => (">", false),
            SelectorOperator.LessThan => ("<", false),
            _ => ("", false),
        };
        if (op.Length == 0)
            return;
        builder.Append(op);
        if (set)
            builder.Append('(');
        builder.AppendJoin(',', Values);
        if (set)
            builder.Append(')');
    }
}

/// <summary>Operators of a label selector requirement (apimachinery <c>selection.Operator</c>).</summary>
internal enum SelectorOperator
{
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
