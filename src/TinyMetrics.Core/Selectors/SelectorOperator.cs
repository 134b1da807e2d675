namespace TinyMetrics.Selectors;

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
