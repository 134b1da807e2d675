using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TinyMetrics.Simulator.Api;
using TinyMetrics.Simulator.Certificates;
using TinyMetrics.Simulator.Hosting;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator;

/// <summary>
/// A running simulated cluster: the API server (with the aggregation proxy) and every kubelet. Disposing it
/// stops all listeners; open watches and hanging kubelets end at once.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _api;
    private readonly WebApplication _kubelets;
    private readonly CancellationTokenSource _stopping;
    private readonly ClusterCertificates _certificates;
    private readonly AggregationProxy _proxy;
    private readonly ApiState _state;
    private int _stopped;

    private SimulatorHost(
        ApiState state, Uri apiUri, WebApplication api,
        WebApplication kubelets, CancellationTokenSource stopping, ClusterCertificates certificates, AggregationProxy proxy)
    {
        _state = state;
        Cluster = state.Cluster;
        ApiUri = apiUri;
        Directory = state.Directory;
        Modes = state.Modes;
        _api = api;
        _kubelets = kubelets;
        _stopping = stopping;
        _certificates = certificates;
        _proxy = proxy;
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>https://127.0.0.1:PORT (or https://[::1]:PORT) of the simulated kube-apiserver.</summary>
    public Uri ApiUri { get; }

    /// <summary>Where the certificates, kubeconfigs and expected.json are.</summary>
    public string Directory { get; }

    /// <summary>Live kubelet behaviour by node index (the same as the control endpoint changes).</summary>
    public KubeletModes Modes { get; }

    /// <summary>Changes one kubelet's behaviour, as <c>POST /simulator/nodes/NAME/mode</c> does.</summary>
    public void SetKubeletMode(string nodeName, KubeletMode mode) => Modes.Set(Cluster.NodesByName[nodeName].Index, mode);

    /// <summary>The kubelets that serve only the Summary API (the same as the control endpoint changes).</summary>
    public SummaryOnlyKubelets SummaryOnly => _state.SummaryOnly;

    /// <summary>Containers restarted so far (the same as the control endpoint changes).</summary>
    public ContainerRestarts Restarts => _state.Restarts;

    /// <summary>
    /// Restarts one container now, at <paramref name="cpuNanoCores"/> or its current rate, as
    /// <c>POST /simulator/pods/NS/NAME/containers/C/restart</c> does (expected.json is rewritten).
    /// </summary>
    public ContainerRun RestartContainer(SimulatedPod pod, SimulatedContainer container, long? cpuNanoCores = null) =>
        _state.RestartContainer(pod, container, cpuNanoCores);

    public string KubectlKubeconfig => Path.Combine(Directory, KubeconfigFiles.KubectlFile);

    public string MetricsServerKubeconfig => Path.Combine(Directory, KubeconfigFiles.MetricsServerFile);

    public string CaCertificateFile => Path.Combine(Directory, "ca.crt");

    /// <summary>The CA bundle kubelet serving certificates chain to (the cluster CA until a kubelet CA rotation).</summary>
    public string KubeletCaFile => Path.Combine(Directory, "kubelet-ca.crt");

    /// <summary>The request-header CA bundle (requestheader-client-ca-file).</summary>
    public string FrontProxyCaFile => Path.Combine(Directory, "front-proxy-ca.crt");

    public string ExpectedFile => Path.Combine(Directory, Hosting.ExpectedFile.FileName);

    /// <summary>The line printed to stdout and written to the ready file once every listener is up.</summary>
    public string ReadyLine => $"READY api={ApiUri.GetLeftPart(UriPartial.Authority)} kubeconfig={KubectlKubeconfig} "
        + $"metrics-kubeconfig={MetricsServerKubeconfig} nodes={Cluster.Nodes.Length} pods={Cluster.Pods.Length}";

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken ct = default) =>
        await StartAsync(options, TimeProvider.System, ct);

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, TimeProvider time, CancellationToken ct)
    {
        options.Validate();
        if (options.KubeletPort == 0)
            options = options with { KubeletPort = options.IsIpv6 ? FreePortRun(options.Nodes) : FreePort(options.FirstAddress) };
        var now = time.GetUtcNow();
        var cluster = SimulatedCluster.Create(options, now.ToUnixTimeMilliseconds() * 1_000_000);
        var directory = Path.GetFullPath(options.Directory);
        // Real time for validity: a test's fake clock (often years away) must not make every certificate expired.
        var certificates = ClusterCertificates.Create(cluster, TimeProvider.System.GetUtcNow());
        certificates.WriteTo(directory);
        var stopping = new CancellationTokenSource();
        var modes = new KubeletModes(cluster.Nodes.Length, time);
        foreach (var fault in options.KubeletFaults)
        {
            for (var i = fault.From; i < fault.From + fault.Count; i++)
                modes.Set(i, fault.Mode);
        }
        var restarts = new ContainerRestarts(cluster.Nodes.Length);
        var rotation = new CertificateRotation(certificates, cluster, directory);
        var summaryOnly = new SummaryOnlyKubelets(cluster.Nodes.Length, options.SummaryOnlyEvery);
        var state = new ApiState(cluster, directory, certificates, rotation, modes, restarts, time) { Stopping = stopping.Token, SummaryOnly = summaryOnly };
        var proxy = new AggregationProxy(options.MetricsServer, certificates);
        var apiAddress = options.IsIpv6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        var api = ApiServer.Build(state, apiAddress, options.ApiPort, proxy);
        var kubelets = KubeletServer.Build(cluster, certificates, modes, restarts, time, stopping.Token, summaryOnly);
        try
        {
            await api.StartAsync(ct);
            await kubelets.StartAsync(ct);
        }
        catch
        {
            await stopping.CancelAsync();
            await StopQuietlyAsync(kubelets);
            await StopQuietlyAsync(api);
            proxy.Dispose();
            certificates.Dispose();
            stopping.Dispose();
            throw;
        }
        var apiUri = BoundUri(api, apiAddress);
        var host = new SimulatorHost(state, apiUri, api, kubelets, stopping, certificates, proxy);
        host.WriteFiles(options);
        return host;
    }

    private void WriteFiles(SimulatorOptions options)
    {
        KubeconfigFiles.Write(Directory, ApiUri, _certificates.Ca.ExportCertificatePem() + "\n",
            TokenAuthenticator.MetricsServerToken, TokenAuthenticator.AdminToken);
        Hosting.ExpectedFile.Write(Directory, Cluster);
        if (options.ReadyFile is { } ready)
        {
            var temp = ready + ".tmp";
            File.WriteAllText(temp, ReadyLine + "\n");
            File.Move(temp, ready, overwrite: true);
        }
    }

    /// <summary>Stops every listener; safe to call more than once.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        await _stopping.CancelAsync();
        await StopQuietlyAsync(_kubelets);
        await StopQuietlyAsync(_api);
        _proxy.Dispose();
        _certificates.Dispose();
        _stopping.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static async Task StopQuietlyAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections that outlive the timeout are aborted by Kestrel's disposal below.
        }
        await app.DisposeAsync();
    }

    private static Uri BoundUri(WebApplication app, IPAddress host)
    {
        var addresses = app.Services.GetService(typeof(Microsoft.AspNetCore.Hosting.Server.IServer)) is Microsoft.AspNetCore.Hosting.Server.IServer server
            ? server.Features.Get<IServerAddressesFeature>()?.Addresses
            : null;
        foreach (var address in addresses ?? [])
        {
            var uri = new Uri(address);
            return new Uri("https://" + new IPEndPoint(host, uri.Port).ToString() + "/");
        }
        throw new InvalidOperationException("the API server has no bound address");
    }

    // Kubelets sharing ::1 take consecutive ports: the first of a run of `count` ports that are free now.
    private static int FreePortRun(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = FreePort(IPAddress.IPv6Loopback);
            if (first + count - 1 <= 65535 && RunIsFree(first + 1, count - 1))
                return first;
        }
        throw new InvalidOperationException($"no run of {count} free ports on ::1");
    }

    private static bool RunIsFree(int first, int count)
    {
        for (var port = first; port < first + count; port++)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.IPv6Loopback, port);
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
