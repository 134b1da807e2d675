using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// The cluster's PKI as kubeadm lays it out: a cluster CA signing the API server and (until a kubelet CA rotation)
/// every kubelet serving certificate, and a separate front-proxy CA signing the aggregator's client certificate.
/// The front-proxy and kubelet CAs can be rotated (<see cref="CertificateRotation"/>).
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private readonly Lock _ownedGate = new();

    // Every certificate ever created here: a retired one may still be in a handshake, so all live until Dispose.
    private readonly List<X509Certificate2> _owned = [];
    private X509Certificate2 _frontProxyClient;
    private KubeletServing _kubelets;
    private int _revision;

    private ClusterCertificates(
        X509Certificate2 ca, X509Certificate2 apiServer, X509Certificate2 frontProxyCa,
        X509Certificate2 frontProxyClient, FrozenDictionary<string, X509Certificate2> kubelets)
    {
        Ca = ca;
        ApiServer = apiServer;
        FrontProxyCas = new RotatingCa(frontProxyCa);
        KubeletCas = new RotatingCa(ca);
        _frontProxyClient = frontProxyClient;
        _kubelets = new KubeletServing(kubelets, 0);
        _owned.AddRange([ca, apiServer, frontProxyCa, frontProxyClient, .. kubelets.Values]);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 ApiServer { get; }

    /// <summary>The front-proxy CA that signs the client certificate in use.</summary>
    public X509Certificate2 FrontProxyCa => FrontProxyCas.Signer;

    /// <summary>The aggregation proxy's client certificate (CN=front-proxy-client) for new connections.</summary>
    public X509Certificate2 FrontProxyClient => Volatile.Read(ref _frontProxyClient);

    /// <summary>Kubelet serving certificates by node name (SAN = the node's IP), as new handshakes present them.</summary>
    public IReadOnlyDictionary<string, X509Certificate2> Kubelets => Volatile.Read(ref _kubelets).ByNode;

    /// <summary>What requestheader-client-ca-file and front-proxy-ca.crt hold: one CA, or new + old during a rotation.</summary>
    public string FrontProxyTrustPem => FrontProxyCas.TrustPem;

    /// <summary>What kubelet-ca.crt holds: at first the cluster CA, new + old during a rotation.</summary>
    public string KubeletTrustPem => KubeletCas.TrustPem;

    /// <summary>Grows with every rotation step (the authentication ConfigMap's resourceVersion follows it).</summary>
    public int Revision => Volatile.Read(ref _revision);

    internal RotatingCa FrontProxyCas { get; }

    internal RotatingCa KubeletCas { get; }

    internal KubeletServing KubeletServing => Volatile.Read(ref _kubelets);

    public static ClusterCertificates Create(SimulatedCluster cluster, DateTimeOffset now)
    {
        var ca = CertificateFactory.CreateCa("tinymetrics-sim-ca", now);
        var frontProxyCa = CertificateFactory.CreateCa("tinymetrics-sim-front-proxy-ca", now);
        using var apiKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var api = CertificateFactory.Issue(ca, apiKey, "kube-apiserver", true,
            [IPAddress.Loopback, IPAddress.IPv6Loopback], ["localhost", "kubernetes", "kubernetes.default.svc"], now);
        var proxy = IssueFrontProxyClient(frontProxyCa, now);
        return new ClusterCertificates(ca, api, frontProxyCa, proxy, IssueKubelets(cluster, ca, now));
    }

    /// <summary>Writes PEM files; private keys are created with mode 0600.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        PemFiles.Write(directory, "ca", Ca);
        PemFiles.Write(directory, "apiserver", ApiServer);
        PemFiles.Write(directory, "front-proxy-ca", FrontProxyCa);
        PemFiles.Write(directory, "front-proxy-client", FrontProxyClient);
        PemFiles.WriteCertificates(Path.Combine(directory, "kubelet-ca.crt"), KubeletTrustPem);
        WriteKubelets(directory);
    }

    internal void WriteKubelets(string directory)
    {
        var kubeletDir = Path.Combine(directory, "kubelets");
        Directory.CreateDirectory(kubeletDir);
        foreach (var (name, cert) in Kubelets)
            PemFiles.Write(kubeletDir, name, cert);
    }

    internal static X509Certificate2 IssueFrontProxyClient(X509Certificate2 ca, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return CertificateFactory.Issue(ca, key, "front-proxy-client", false, [], [], now);
    }

    internal static FrozenDictionary<string, X509Certificate2> IssueKubelets(SimulatedCluster cluster, X509Certificate2 ca, DateTimeOffset now)
    {
        // One key for every kubelet: each certificate still names its own IP, and key generation is the slow part.
        using var kubeletKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kubelets = new Dictionary<string, X509Certificate2>(cluster.KubeletNodes.Count, StringComparer.Ordinal);
        foreach (var node in cluster.KubeletNodes)
        {
            kubelets[node.Name] = CertificateFactory.Issue(ca, kubeletKey, node.Name, true,
                [IPAddress.Parse(node.Address)], [node.Name], now);
        }
        return kubelets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    internal void PublishFrontProxyClient(X509Certificate2 client) => Volatile.Write(ref _frontProxyClient, client);

    internal void PublishKubelets(FrozenDictionary<string, X509Certificate2> kubelets) =>
        Volatile.Write(ref _kubelets, new KubeletServing(kubelets, Volatile.Read(ref _kubelets).Generation + 1));

    internal void NextRevision() => Interlocked.Increment(ref _revision);

    /// <summary>Keeps <paramref name="certificates"/> alive until <see cref="Dispose"/>.</summary>
    internal void Own(IEnumerable<X509Certificate2> certificates)
    {
        lock (_ownedGate)
            _owned.AddRange(certificates);
    }

    public void Dispose()
    {
        lock (_ownedGate)
        {
            foreach (var cert in _owned)
                cert.Dispose();
            _owned.Clear();
        }
    }
}
