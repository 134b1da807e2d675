using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Deploy;

/// <summary>
/// The real helm and kubectl 1.35 that `make tools` (scripts/kube-tools.sh) puts in artifacts/tools, or in
/// TINYMETRICS_TOOLS. A missing tool fails the test that needs it; nothing here skips.
/// </summary>
public static class KubeTools
{
    public static string Directory => Infrastructure.Kubectl.ToolsDirectory;

    public static string HelmPath => Existing("helm");

    /// <summary>kubectl 1.35: its kustomize builds the overlays, and <c>patch --local</c> turns YAML into JSON without a cluster.</summary>
    public static string KubectlPath => Existing("kubectl-1.35");

    /// <summary>Runs a tool with a deadline; its stdout and stderr together, as <see cref="BoundedProcess"/> captures them.</summary>
    public static async Task<CommandResult> RunAsync(string path, IEnumerable<string> args, TimeSpan timeout)
    {
        // A kubeconfig that does not exist: nothing here may reach a cluster, the user's least of all.
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "tinymetrics-no-kubeconfig") };
        await using var process = BoundedProcess.Start(path, args, environment);
        var code = await process.WaitForExitAsync(timeout);
        // Output events may trail the exit by a moment.
        await Task.Delay(50);
        return new CommandResult(code, process.Output);
    }

    private static string Existing(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: run `make tools` (scripts/kube-tools.sh), or set TINYMETRICS_TOOLS to the directory holding helm and kubectl-1.35");
    }
}
