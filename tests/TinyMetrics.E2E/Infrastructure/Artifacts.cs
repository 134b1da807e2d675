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

    /// <summary>The linux-arm64 cross-compiled binary (`make publish RID=linux-arm64`), run under qemu-user.</summary>
    public static string Arm64ServerBinary =>
        Existing(Environment.GetEnvironmentVariable("TINYMETRICS_BIN_ARM64") ?? Path.Combine(RepositoryRoot, "artifacts", "bin", "linux-arm64", "tinymetrics"));

    public static string SimulatorDll =>
        Existing(Environment.GetEnvironmentVariable("TINYMETRICS_SIMULATOR") ?? Path.Combine(RepositoryRoot, "artifacts", "simulator", "tinymetrics-simulator.dll"));

    /// <summary>A machine tool the platform tests need (qemu-aarch64, unshare): a missing one fails them, naming what installs it.</summary>
    public static string Tool(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
                return path;
        }
        throw new FileNotFoundException($"{name} is not on PATH: run `make deps-platforms` (as root), which installs what the platform tests need");
    }

    private static string Existing(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run `make test`, which publishes it first");
}
