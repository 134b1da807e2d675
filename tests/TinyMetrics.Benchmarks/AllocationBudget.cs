namespace TinyMetrics.Benchmarks;

/// <summary>
/// One allocation budget of <c>--check</c>: what is measured, the limit, the unit of both, and the figure
/// measured. Within budget when the measured figure is at most the limit; a negative limit can never be met,
/// which <c>make bench-check</c> uses to prove the table fails.
/// </summary>
internal sealed record AllocationBudget(string Name, string Unit, double Limit, double Measured)
{
    public bool Met => Measured <= Limit;
}
