namespace TinyMetrics.E2E.Infrastructure;

/// <summary>Where `make test` put the AOT binary and the simulator (overridable by environment).</summary>
public static class Artifacts
{
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TinyMetrics.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new DirectoryNotFoundException("TinyMetrics.sln not found above the test binary");
        }
    }

    public static string ServerBinary =>
        Existing(Environment.GetEnvironmentVariable("TINYMETRICS_BIN") ?? Path.Combine(RepositoryRoot, "artifacts", "bin", "tinymetrics"));

    public static string SimulatorDll =>
        Existing(Environment.GetEnvironmentVariable("TINYMETRICS_SIMULATOR") ?? Path.Combine(RepositoryRoot, "artifacts", "simulator", "tinymetrics-simulator.dll"));

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run `make test`, which publishes it first");
}
