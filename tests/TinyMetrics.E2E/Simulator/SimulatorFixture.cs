using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Api;
using TUnit.Core.Interfaces;

namespace TinyMetrics.Simulator.Tests;

/// <summary>
/// One small simulated cluster shared by a test class: its own temp dir, random loopback range and free ports,
/// so parallel runs and other simulators on the machine never collide.
/// </summary>
public sealed class SimulatorFixture : IAsyncInitializer, IAsyncDisposable
{
    public const int Nodes = 3;
    public const int PodsPerNode = 5;

    private readonly Uri? _metricsServer;
    private SimulatorHost? _host;
    private X509Certificate2? _ca;

    public SimulatorFixture()
        : this(null)
    {
    }

    public SimulatorFixture(Uri? metricsServer) => _metricsServer = metricsServer;

    public SimulatorHost Host => _host ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tm-sim-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SimulatorOptions
        {
            Nodes = Nodes,
            PodsPerNode = PodsPerNode,
            Directory = dir,
            ApiPort = 0,
            KubeletPort = 0,
            FirstAddress = RandomFirstAddress(),
            MetricsServer = _metricsServer,
            Seed = 7,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _host = await SimulatorHost.StartAsync(options, timeout.Token);
        _ca = X509Certificate2.CreateFromPem(File.ReadAllText(_host.CaCertificateFile));
    }

    /// <summary>An HTTPS client that trusts only the cluster CA (so certificate SANs are checked too).</summary>
    public HttpClient Client(string? token, TimeSpan? timeout = null)
    {
        var ca = _ca ?? throw new InvalidOperationException("not started");
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { ca },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        var client = new HttpClient(handler) { Timeout = timeout ?? TimeSpan.FromSeconds(15) };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public Uri Api(string pathAndQuery) => new(Host.ApiUri, pathAndQuery);

    /// <summary>One CA rotation step through the control endpoint (<paramref name="target"/> front-proxy or kubelets).</summary>
    public async Task<HttpResponseMessage> RotateAsync(string target, string phase, string token = TokenAuthenticator.AdminToken)
    {
        using var client = Client(token);
        return await client.PostAsync(Api($"/simulator/certificates/{target}?phase={phase}"), null);
    }

    public Uri Kubelet(int node, string path = "/metrics/resource")
    {
        var n = Host.Cluster.Nodes[node];
        return new Uri($"https://{n.Address}:{n.KubeletPort}{path}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            Directory.Delete(_host.Directory, recursive: true);
        }
        _ca?.Dispose();
    }

    private static IPAddress RandomFirstAddress() =>
        new([127, (byte)Random.Shared.Next(200, 250), (byte)Random.Shared.Next(1, 250), 1]);
}
