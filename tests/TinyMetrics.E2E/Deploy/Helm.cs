using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Deploy;

/// <summary>Runs the real helm (v4, from `make tools`) on deploy/helm/tinymetrics with a deadline.</summary>
public static class Helm
{
    public const string Release = "metrics-server";
    public const string Namespace = "kube-system";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static string ChartPath => Path.Combine(Artifacts.RepositoryRoot, "deploy", "helm", "tinymetrics");

    public static Task<CommandResult> RunAsync(params string[] args) => KubeTools.RunAsync(KubeTools.HelmPath, args, Deadline);

    /// <summary>
    /// <c>helm template metrics-server deploy/helm/tinymetrics -n kube-system</c> with extra arguments
    /// (<c>--set</c>, <c>-f</c>, <c>--kube-version</c>), every rendered object as JSON.
    /// </summary>
    public static async Task<Manifests> TemplateAsync(params string[] args)
    {
        var output = Path.Combine(Path.GetTempPath(), $"tinymetrics-helm-{Guid.NewGuid():N}");
        try
        {
            var result = await RunAsync(["template", Release, ChartPath, "--namespace", Namespace, "--output-dir", output, .. args]);
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"helm template failed: {result}");
            return await Manifests.FromYamlAsync(output);
        }
        finally
        {
            if (System.IO.Directory.Exists(output))
                System.IO.Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>A values file of this chart (deploy/helm/tinymetrics/NAME) or of the tests (tests/TinyMetrics.E2E/Deploy/NAME).</summary>
    public static string ChartFile(string name) => Path.Combine(ChartPath, name);

    public static string TestFile(string name) => Path.Combine(Artifacts.RepositoryRoot, "tests", "TinyMetrics.E2E", "Deploy", name);
}
