namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// Runs the real kubectl with a deadline: the one on PATH, or a versioned one. A versioned kubectl is
/// <c>kubectl-VERSION</c> in the tools directory (`make tools` fetches kubectl 1.35 there: scripts/kube-tools.sh), or
/// <c>kubectl.VERSION</c> / <c>kubectl-VERSION</c> beside the kubectl on PATH (some machine images ship several).
/// A test whose versioned kubectl is nowhere is skipped, with the places looked at: counted as skipped, never passed.
/// </summary>
public sealed class Kubectl
{
    private readonly string _path;
    private readonly string _kubeconfig;

    public Kubectl(string path, string kubeconfig)
    {
        _path = path;
        _kubeconfig = kubeconfig;
    }

    public string Path => _path;

    /// <summary>TINYMETRICS_TOOLS, else &lt;repo&gt;/artifacts/tools: where `make tools` puts helm and kubectl-1.35.</summary>
    public static string ToolsDirectory =>
        Environment.GetEnvironmentVariable("TINYMETRICS_TOOLS") is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(Artifacts.RepositoryRoot, "artifacts", "tools");

    /// <summary>
    /// The kubectl on PATH (or the tools directory's, which `make tools` links when PATH has none); with a
    /// <paramref name="version"/>, that version, or the calling test is skipped (TUnit's skip, as <see cref="Skip.Test"/>).
    /// </summary>
    public static string Locate(string? version = null)
    {
        if (version is null)
            return OnPath() ?? Existing(System.IO.Path.Combine(ToolsDirectory, "kubectl"))
                ?? throw new FileNotFoundException($"kubectl is not on PATH nor in {ToolsDirectory}: install one, or run `make tools`");
        var candidates = new List<string> { System.IO.Path.Combine(ToolsDirectory, "kubectl-" + version) };
        if (OnPath() is { } onPath)
        {
            var beside = System.IO.Path.GetDirectoryName(new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath)!;
            candidates.Add(System.IO.Path.Combine(beside, "kubectl." + version));
            candidates.Add(System.IO.Path.Combine(beside, "kubectl-" + version));
        }
        foreach (var candidate in candidates)
        {
            if (Existing(candidate) is { } found)
                return found;
        }
        throw new TUnit.Core.Exceptions.SkipTestException($"kubectl {version} is not installed (looked at {string.Join(", ", candidates)}); "
            + "`make tools` fetches kubectl 1.35 into artifacts/tools, another version goes there as kubectl-VERSION");
    }

    public async Task<CommandResult> RunAsync(params string[] args)
    {
        await using var process = BoundedProcess.Start(_path, ["--kubeconfig", _kubeconfig, "--request-timeout=20s", .. args]);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        // Output events may trail the exit by a moment.
        await Task.Delay(50);
        return new CommandResult(code, process.Output);
    }

    private static string? OnPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Existing(System.IO.Path.Combine(dir, "kubectl")) is { } found)
                return found;
        }
        return null;
    }

    private static string? Existing(string path) => File.Exists(path) ? path : null;
}
