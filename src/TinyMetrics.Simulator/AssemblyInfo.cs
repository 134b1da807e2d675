using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("TinyMetrics.E2E")]
[assembly: InternalsVisibleTo("TinyMetrics.Benchmarks")]
