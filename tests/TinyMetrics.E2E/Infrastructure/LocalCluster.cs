using TUnit.Core.Interfaces;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// One simulated cluster and one published tinymetrics behind its aggregation proxy, shared by the
/// whole test session: started once, stopped at the end, every wait bounded.
/// </summary>
public class LocalCluster : IAsyncInitializer, IAsyncDisposable
{
    public const int NodeCount = 6;
    public const int PodsPerNode = 5;

    private BoundedProcess? _simulator;
    private BoundedProcess? _server;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("tinymetrics-e2e-").FullName;

    public int ServerPort { get; private set; }

    public ExpectedMetrics Expected { get; private set; } = null!;

    /// <summary>Each cluster a session starts gets its own loopback range, so two can run side by side.</summary>
    protected virtual string FirstAddress => "127.77.0.1";

    protected virtual int SimulatedNodes => NodeCount;

    protected virtual int SimulatedPodsPerNode => PodsPerNode;

    /// <summary>Flags appended to the simulator's command line.</summary>
    protected virtual IEnumerable<string> ExtraSimulatorArgs => [];

    /// <summary>Where tinymetrics listens; empty leaves --bind-address at its default (every interface, both families).</summary>
    protected virtual IEnumerable<string> BindArgs => ["--bind-address=127.0.0.1"];

    /// <summary>The host (an IP literal, IPv6 bracketed) the aggregation proxy dials tinymetrics at.</summary>
    protected virtual string ServerHost => "127.0.0.1";

    /// <summary>How many nodes must be served before the cluster counts as up: fewer when some kubelets fail on purpose.</summary>
    protected virtual int ServedNodesWhenUp => SimulatedNodes;

    /// <summary>Flags appended to tinymetrics' command line (a later flag wins over an earlier one).</summary>
    protected virtual IEnumerable<string> ExtraServerArgs => [];

    /// <summary>
    /// The front-proxy trust from flags (the simulator's CA file); false leaves it to the authentication
    /// ConfigMap, as an in-cluster metrics-server without those flags reads it.
    /// </summary>
    protected virtual bool RequestHeaderFromFlags => true;

    public Uri ApiUri { get; private set; } = null!;

    public string KubectlConfig => Path.Combine(Directory, "kubectl.kubeconfig");

    public BoundedProcess Server => _server ?? throw new InvalidOperationException("not started");

    public Kubectl Kubectl(string? version = null) => new(Infrastructure.Kubectl.Locate(version), KubectlConfig);

    public virtual async Task InitializeAsync()
    {
        ServerPort = FreePort.Next();
        _simulator = BoundedProcess.Start("dotnet", [Artifacts.SimulatorDll, $"--nodes={SimulatedNodes}", $"--pods-per-node={SimulatedPodsPerNode}",
            $"--dir={Directory}", $"--metrics-server=https://{ServerHost}:{ServerPort}", $"--ready-file={Path.Combine(Directory, "simulator.ready")}",
            $"--first-address={LoopbackRange.Remap(FirstAddress)}", .. ExtraSimulatorArgs]);
        await WaitForFileAsync(Path.Combine(Directory, "simulator.ready"), _simulator, TimeSpan.FromSeconds(60));
        Expected = ExpectedMetrics.Load(Path.Combine(Directory, "expected.json"));
        var ready = await File.ReadAllTextAsync(Path.Combine(Directory, "simulator.ready"));
        ApiUri = new Uri(ready.Split(' ').Single(part => part.StartsWith("api=", StringComparison.Ordinal))[4..]);
        await BeforeServerStartAsync();

        _server = await StartServerAsync([
            $"--kubeconfig={Path.Combine(Directory, "tinymetrics.kubeconfig")}", .. BindArgs, $"--secure-port={ServerPort}",
            $"--cert-dir={Path.Combine(Directory, "certs")}", "--metric-resolution=10s", "--kubelet-request-timeout=5s", "--kubelet-preferred-address-types=InternalIP",
            "--v=2", .. RequestHeaderFlags(), .. ExtraServerArgs]);
        if (WaitsUntilServing)
            await WaitUntilServingAsync(ServingTimeout);
    }

    /// <summary>Runs once the simulator is up and before tinymetrics starts (a cluster may break its API first).</summary>
    protected virtual Task BeforeServerStartAsync() => Task.CompletedTask;

    /// <summary>False leaves the wait for every node to the test (one that starts tinymetrics against a broken API).</summary>
    protected virtual bool WaitsUntilServing => true;

    /// <summary>How long the first complete answer may take: two scrapes a resolution apart, with room for a loaded machine.</summary>
    protected virtual TimeSpan ServingTimeout => TimeSpan.FromSeconds(90);

    /// <summary>Starts tinymetrics with these flags, once the simulator is up; a cluster may run it through a wrapper (an emulator, a container root).</summary>
    protected virtual Task<BoundedProcess> StartServerAsync(IReadOnlyList<string> arguments) =>
        Task.FromResult(BoundedProcess.Start(Artifacts.ServerBinary, arguments));

    private IEnumerable<string> RequestHeaderFlags() => RequestHeaderFromFlags
        ? [$"--requestheader-client-ca-file={Path.Combine(Directory, "front-proxy-ca.crt")}", "--requestheader-allowed-names=front-proxy-client"]
        : [];

    /// <summary>Returns once every node has a rate: two scrapes, ~one resolution after start; throws on timeout.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var kubectl = Kubectl();
        var deadline = DateTime.UtcNow + timeout;
        CommandResult? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await kubectl.RunAsync("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes");
            if (last.ExitCode == 0 && CountOccurrences(last.Output, "\"usage\"") >= ServedNodesWhenUp)
                return;
            if (_server!.HasExited)
                break;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"tinymetrics did not serve all nodes in time. last kubectl: {last}\nserver ({_server!.State}):\n{_server.Tail()}\nsimulator:\n{_simulator!.Tail()}");
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static async Task WaitForFileAsync(string path, BoundedProcess process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!File.Exists(path))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"simulator did not become ready:\n{process.Tail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>tinymetrics' own /metrics, read with the simulator's admin token (TokenReview, then SubjectAccessReview).</summary>
    public async Task<string> SelfMetricsAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "admin-token");
        return await client.GetStringAsync(new Uri($"https://{ServerHost}:{ServerPort}/metrics"));
    }

    /// <summary>Changes how one simulated kubelet answers (normal, hang, garbage, error500, huge, slow, refuse, no-series, counter-reset).</summary>
    public Task SetKubeletModeAsync(string node, string mode) => ControlAsync($"/simulator/nodes/{node}/mode?value={mode}");

    /// <summary>A bearer token the simulator's TokenReview accepts for <paramref name="ttlSeconds"/> seconds.</summary>
    public async Task<string> IssueTokenAsync(string user, int ttlSeconds) =>
        (await ControlAsync($"/simulator/tokens?user={user}&ttlSeconds={ttlSeconds}")).Trim();

    /// <summary>From now on the simulator's SubjectAccessReview allows (grant) or denies (revoke) every request of <paramref name="user"/>.</summary>
    public Task SetPolicyAsync(string user, bool allowed) => ControlAsync($"/simulator/policy/{(allowed ? "grant" : "revoke")}?user={user}");

    /// <summary>From now on the simulator's SubjectAccessReviews of <paramref name="user"/> answer after <paramref name="seconds"/> seconds.</summary>
    public Task SetReviewDelayAsync(string user, double seconds) =>
        ControlAsync($"/simulator/policy/slow?user={user}&seconds={seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>One CA rotation step: <paramref name="target"/> front-proxy or kubelets, <paramref name="phase"/> add, switch or drop.</summary>
    public Task RotateAsync(string target, string phase) => ControlAsync($"/simulator/certificates/{target}?phase={phase}");

    /// <summary>POSTs to one of the simulator's admin control paths (see its ControlHandler) and answers the body.</summary>
    public async Task<string> ControlAsync(string pathAndQuery)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { BaseAddress = ApiUri, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "admin-token");
        using var response = await client.PostAsync(pathAndQuery, null);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        if (_simulator is not null)
            await _simulator.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }
}
