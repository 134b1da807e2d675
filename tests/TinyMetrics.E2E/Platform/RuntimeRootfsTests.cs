using System.Net;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Platform;

/// <summary>
/// The image's runtime stage holds everything tinymetrics needs: run from exactly that file set, read-only and as
/// nonroot, it becomes ready and kubectl shows the simulator's values. The file set has no shell, and its size as one
/// compressed layer is what the README states.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[ClassDataSource<RuntimeRootfsCluster>(Shared = SharedType.PerClass)]
[NotInParallel(ClusterLanes.Platform)]
public sealed class RuntimeRootfsTests(RuntimeRootfsCluster cluster)
{
    private const long MaxCompressedBytes = 18 * 1024 * 1024;

    [Test]
    public async Task Readyz_FromTheRuntimeFileSet_Passes()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

        using var response = await client.GetAsync($"https://127.0.0.1:{cluster.ServerPort}/readyz?verbose");

        var body = await response.Content.ReadAsStringAsync();
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK).Because(body);
        await Assert.That(body).Contains("readyz check passed");
    }

    [Test]
    public Task TopNodes_FromTheRuntimeFileSet_MatchesSimulatorExactly() => TopExpectations.NodesMatchAsync(cluster);

    [Test]
    public Task TopPodsAllNamespaces_FromTheRuntimeFileSet_MatchesSimulatorExactly() => TopExpectations.PodsMatchAsync(cluster);

    [Test]
    public async Task Server_RunsAsNonRootOnAReadOnlyRoot()
    {
        var pid = cluster.ContainedProcessId;

        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        var root = new DirectoryInfo($"/proc/{pid}/root").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
        var rootMount = (await File.ReadAllLinesAsync($"/proc/{pid}/mountinfo")).Select(line => line.Split(' ')).Single(fields => fields[4] == "/");

        var id = $"{RuntimeRootfsCluster.NonRoot}\t{RuntimeRootfsCluster.NonRoot}\t{RuntimeRootfsCluster.NonRoot}\t{RuntimeRootfsCluster.NonRoot}";
        await Assert.That(status).Contains($"Uid:\t{id}");
        await Assert.That(status).Contains($"Gid:\t{id}");
        await Assert.That(status.Single(line => line.StartsWith("Groups:", StringComparison.Ordinal)).Trim()).IsEqualTo("Groups:");
        await Assert.That(root).IsEqualTo(cluster.RootDirectory);
        await Assert.That(rootMount[5].Split(',')).Contains("ro");
    }

    [Test]
    public async Task FileSet_HasNoShellAndTheNonRootUser()
    {
        string[] shells = ["sh", "bash", "dash", "ash", "busybox"];

        var files = Directory.EnumerateFileSystemEntries(cluster.RootDirectory, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToHashSet();
        var passwd = await File.ReadAllLinesAsync(Path.Combine(cluster.RootDirectory, "etc", "passwd"));

        await Assert.That(shells.Where(files.Contains).ToArray()).IsEmpty();
        await Assert.That(passwd).Contains($"nonroot:x:{RuntimeRootfsCluster.NonRoot}:{RuntimeRootfsCluster.NonRoot}:nonroot:/home/nonroot:/sbin/nologin");
    }

    [Test]
    public async Task FileSet_AsOneCompressedLayer_IsUnder18MiB()
    {
        var result = await RuntimeRootfsCluster.RunScriptAsync(["size", cluster.RootDirectory], TimeSpan.FromSeconds(60));

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(long.Parse(result.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture)).IsLessThan(MaxCompressedBytes);
    }
}
