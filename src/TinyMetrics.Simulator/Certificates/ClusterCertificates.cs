using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// The cluster's PKI as kubeadm lays it out: a cluster CA signing the API server and every kubelet serving
/// certificate, and a separate front-proxy CA signing the aggregator's client certificate.
/// </summary>
public sealed class ClusterCertificates : IDisposable
{
    private ClusterCertificates(
        X509Certificate2 ca, X509Certificate2 apiServer, X509Certificate2 frontProxyCa,
        X509Certificate2 frontProxyClient, Dictionary<string, X509Certificate2> kubelets)
    {
        Ca = ca;
        ApiServer = apiServer;
        FrontProxyCa = frontProxyCa;
        FrontProxyClient = frontProxyClient;
        Kubelets = kubelets;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 ApiServer { get; }

    public X509Certificate2 FrontProxyCa { get; }

    public X509Certificate2 FrontProxyClient { get; }

    /// <summary>Kubelet serving certificates by node name (SAN = the node's IP).</summary>
    public IReadOnlyDictionary<string, X509Certificate2> Kubelets { get; }

    public static ClusterCertificates Create(SimulatedCluster cluster, DateTimeOffset now)
    {
        var ca = CertificateFactory.CreateCa("tinymetrics-sim-ca", now);
        var frontProxyCa = CertificateFactory.CreateCa("tinymetrics-sim-front-proxy-ca", now);
        using var apiKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var api = CertificateFactory.Issue(ca, apiKey, "kube-apiserver", true,
            [IPAddress.Loopback], ["localhost", "kubernetes", "kubernetes.default.svc"], now);
        using var proxyKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proxy = CertificateFactory.Issue(frontProxyCa, proxyKey, "front-proxy-client", false, [], [], now);
        // One key for every kubelet: each certificate still names its own IP, and key generation is the slow part.
        using var kubeletKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kubelets = new Dictionary<string, X509Certificate2>(cluster.Nodes.Length, StringComparer.Ordinal);
        foreach (var node in cluster.Nodes)
        {
            kubelets[node.Name] = CertificateFactory.Issue(ca, kubeletKey, node.Name, true,
                [IPAddress.Parse(node.Address)], [node.Name], now);
        }
        return new ClusterCertificates(ca, api, frontProxyCa, proxy, kubelets);
    }

    /// <summary>Writes PEM files; private keys are created with mode 0600.</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        PemFiles.Write(directory, "ca", Ca);
        PemFiles.Write(directory, "apiserver", ApiServer);
        PemFiles.Write(directory, "front-proxy-ca", FrontProxyCa);
        PemFiles.Write(directory, "front-proxy-client", FrontProxyClient);
        var kubeletDir = Path.Combine(directory, "kubelets");
        Directory.CreateDirectory(kubeletDir);
        foreach (var (name, cert) in Kubelets)
            PemFiles.Write(kubeletDir, name, cert);
    }

    public void Dispose()
    {
        Ca.Dispose();
        ApiServer.Dispose();
        FrontProxyCa.Dispose();
        FrontProxyClient.Dispose();
        foreach (var cert in Kubelets.Values)
            cert.Dispose();
    }
}
