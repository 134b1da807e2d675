using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.HighAvailability;

/// <summary>
/// One simulated cluster and three AOT replicas with <c>--replicas-from=kube-system/metrics-server</c>, each on its
/// own loopback address and the same port, with one serving certificate (signed by the simulator's CA, the three
/// addresses as SANs) that peers verify with <c>--peer-ca-file</c>. Replica 0 is the base cluster's server (behind
/// the aggregation proxy); the simulator's EndpointSlice for the Service lists all three as ready before any starts.
/// </summary>
public sealed class HaCluster : LocalCluster
{
    public const int Nodes = 12;
    public const string Service = "kube-system/metrics-server";

    private readonly List<BoundedProcess> _replicas = [];

    public HaCluster()
    {
        Addresses = [LoopbackRange.Remap("127.101.2.10"), LoopbackRange.Remap("127.101.2.11"), LoopbackRange.Remap("127.101.2.12")];
    }

    /// <summary>The replicas' addresses, in replica order (0 is <see cref="LocalCluster.Server"/>).</summary>
    public string[] Addresses { get; }

    protected override string FirstAddress => "127.101.1.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => 5;

    protected override string ServerHost => Addresses[0];

    protected override IEnumerable<string> BindArgs => [$"--bind-address={Addresses[0]}"];

    protected override IEnumerable<string> ExtraServerArgs => ReplicaArgs(0);

    /// <summary>Every replica's process: 0 is the base server, 1 and 2 are started beside it.</summary>
    public BoundedProcess Replica(int index) => index == 0 ? Server : _replicas[index - 1];

    private string CertFile => Path.Combine(Directory, "replicas.crt");

    private string KeyFile => Path.Combine(Directory, "replicas.key");

    private IEnumerable<string> ReplicaArgs(int index) =>
    [
        $"--replicas-from={Service}", $"--replica-address={Addresses[index]}", $"--peer-ca-file={Path.Combine(Directory, "ca.crt")}",
        $"--tls-cert-file={CertFile}", $"--tls-private-key-file={KeyFile}", "--v=4",
    ];

    protected override async Task BeforeServerStartAsync()
    {
        WriteServingCertificate();
        await SetEndpointsAsync(Addresses, notReady: []);
        for (var i = 1; i < Addresses.Length; i++)
        {
            _replicas.Add(BoundedProcess.Start(Artifacts.ServerBinary, [
                $"--kubeconfig={Path.Combine(Directory, "tinymetrics.kubeconfig")}", $"--bind-address={Addresses[i]}", $"--secure-port={ServerPort}",
                $"--cert-dir={Path.Combine(Directory, "certs-" + i.ToString(CultureInfo.InvariantCulture))}", "--metric-resolution=10s",
                "--kubelet-request-timeout=5s", "--kubelet-preferred-address-types=InternalIP", "--v=2",
                $"--requestheader-client-ca-file={Path.Combine(Directory, "front-proxy-ca.crt")}", "--requestheader-allowed-names=front-proxy-client",
                .. ReplicaArgs(i)]));
        }
    }

    /// <summary>The Service's slice lists exactly <paramref name="addresses"/> (at the shared port), those in <paramref name="notReady"/> not ready.</summary>
    public Task SetEndpointsAsync(IEnumerable<string> addresses, IEnumerable<string> notReady) =>
        ControlAsync($"/simulator/endpointslices?service={Service}&addresses={string.Join(',', addresses.Select(a => $"{a}:{ServerPort}"))}&notReady={string.Join(',', notReady)}");

    /// <summary>Metrics requests each simulated kubelet answered since start, by node name.</summary>
    public async Task<Dictionary<string, long>> KubeletRequestsAsync()
    {
        var text = await ControlAsync("/simulator/kubelets/requests");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            counts[parts[0]] = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        return counts;
    }

    /// <summary>GETs <paramref name="path"/> from replica <paramref name="index"/> directly, as the simulator's admin (TokenReview, then SubjectAccessReview).</summary>
    public async Task<string> GetFromReplicaAsync(int index, string path)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "admin-token");
        return await client.GetStringAsync(new Uri($"https://{Addresses[index]}:{ServerPort}{path}"));
    }

    /// <summary>Each node replica <paramref name="index"/> serves: its kubelet timestamp, CPU (nanocores) and memory (bytes); null when it does not answer.</summary>
    public async Task<Dictionary<string, NodeReading>?> NodeReadingsAsync(int index)
    {
        string json;
        try
        {
            json = await GetFromReplicaAsync(index, "/apis/metrics.k8s.io/v1beta1/nodes");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        var readings = new Dictionary<string, NodeReading>(StringComparer.Ordinal);
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var usage = item.GetProperty("usage");
            readings[item.GetProperty("metadata").GetProperty("name").GetString()!] = new NodeReading(
                item.GetProperty("timestamp").GetDateTimeOffset(),
                item.GetProperty("window").GetString()!,
                QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!),
                QuantityText.Bytes(usage.GetProperty("memory").GetString()!));
        }
        return readings;
    }

    /// <summary>The value of one series in replica <paramref name="index"/>'s /metrics (0 when absent).</summary>
    public async Task<double> SelfMetricAsync(int index, string series)
    {
        var text = await GetFromReplicaAsync(index, "/metrics");
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
            await replica.DisposeAsync();
        await base.DisposeAsync();
    }

    // One certificate for the three replicas, as a chart's shared serving Secret holds one for the Service's names.
    private void WriteServingCertificate()
    {
        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(Directory, "ca.crt"), Path.Combine(Directory, "ca.key"));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=metrics-server.kube-system.svc", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var address in Addresses)
            names.AddIpAddress(IPAddress.Parse(address));
        names.AddDnsName("metrics-server.kube-system.svc");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2), serial);
        File.WriteAllText(CertFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }
}

/// <summary>One node as a replica serves it: the newest point's time and the window back to the point its rate is against.</summary>
public readonly record struct NodeReading(DateTimeOffset Timestamp, string Window, long CpuNanoCores, long MemoryBytes);
