using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// A small cluster of its own whose tinymetrics runs from the image's runtime file set (scripts/runtime-rootfs.sh:
/// distroless/cc-debian12 and /tinymetrics) as a container would: that tree read-only as its root, uid 65532, a tmpfs
/// at /tmp for the serving certificate as the manifests' emptyDir, and the cluster's files bound read-only beneath it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RuntimeRootfsCluster : LocalCluster
{
    public const int NonRoot = 65532;

    public string RootDirectory { get; } = System.IO.Directory.CreateTempSubdirectory("tinymetrics-rootfs-").FullName;

    public static string Script => Path.Combine(Artifacts.RepositoryRoot, "scripts", "runtime-rootfs.sh");

    protected override string FirstAddress => "127.84.0.1";

    protected override int SimulatedNodes => 2;

    protected override int SimulatedPodsPerNode => 3;

    // A later flag wins: the cluster directory is mounted read-only, and the manifests put certificates in /tmp too.
    protected override IEnumerable<string> ExtraServerArgs => ["--cert-dir=/tmp/serving-certs"];

    /// <summary>The process that is PID 1 inside the namespaces: tinymetrics itself.</summary>
    public int ContainedProcessId
    {
        get
        {
            var children = File.ReadAllText($"/proc/{Server.Id}/task/{Server.Id}/children").Trim();
            return int.Parse(children, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    protected override async Task<BoundedProcess> StartServerAsync(IReadOnlyList<string> arguments)
    {
        Artifacts.Tool("unshare");
        var assembled = await RunScriptAsync(["assemble", Artifacts.ServerBinary, RootDirectory], TimeSpan.FromSeconds(120));
        if (assembled.ExitCode != 0)
            throw new InvalidOperationException($"runtime-rootfs.sh assemble failed: {assembled}");
        // uid 65532 reads the kubeconfig and the front-proxy CA through the bound cluster directory, as a pod reads a Secret.
        File.SetUnixFileMode(Directory, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(Directory, "tinymetrics.kubeconfig"), (UnixFileMode)0b110_100_100);
        return BoundedProcess.Start("bash", [Script, "run", RootDirectory, "--bind", $"{Directory}:{Directory}", "--", .. arguments]);
    }

    public static async Task<CommandResult> RunScriptAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        await using var process = BoundedProcess.Start("bash", [Script, .. arguments]);
        var code = await process.WaitForExitAsync(timeout);
        // Output events may trail the exit by a moment.
        await Task.Delay(50);
        return new CommandResult(code, process.Output);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
