namespace TinyMetrics.E2E.Infrastructure;

/// <summary>Runs the real kubectl (the one on PATH, or a versioned one beside it) with a deadline.</summary>
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

    /// <summary>The kubectl on PATH, resolved through its link, and the versioned binaries that sit beside it.</summary>
    public static string Locate(string? version = null)
    {
        var onPath = Environment.GetEnvironmentVariable("PATH")!.Split(':')
            .Select(dir => System.IO.Path.Combine(dir, "kubectl")).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("kubectl is not on PATH");
        if (version is null)
            return onPath;
        var target = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var versioned = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, "kubectl." + version);
        return File.Exists(versioned) ? versioned : throw new FileNotFoundException($"kubectl.{version} not found beside {target}");
    }

    public async Task<CommandResult> RunAsync(params string[] args)
    {
        await using var process = BoundedProcess.Start(_path, ["--kubeconfig", _kubeconfig, "--request-timeout=20s", .. args]);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        // Output events may trail the exit by a moment.
        await Task.Delay(50);
        return new CommandResult(code, process.Output);
    }
}
