namespace TinyMetrics.E2E.Infrastructure;

public sealed record CommandResult(int ExitCode, string Output)
{
    public override string ToString() => $"exit {ExitCode}:\n{Output}";
}
