using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Kubelets;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// The faulty serving certificates a kubelet in a certificate fault mode presents, issued on first use per node
/// and mode (a swap of that node's certificate only): expired (cluster CA, right IP), for another host (cluster CA,
/// wrong IP and name), or from a CA nobody trusts (right IP). All are owned by <see cref="ClusterCertificates"/>.
/// </summary>
internal sealed class KubeletCertificateFaults
{
    private readonly ClusterCertificates _certificates;
    private readonly ConcurrentDictionary<(int Node, KubeletMode Mode), X509Certificate2> _issued = new();
    private readonly Lazy<X509Certificate2> _untrustedCa;

    public KubeletCertificateFaults(ClusterCertificates certificates)
    {
        _certificates = certificates;
        _untrustedCa = new Lazy<X509Certificate2>(() =>
        {
            var ca = CertificateFactory.CreateCa("tinymetrics-sim-untrusted-ca", TimeProvider.System.GetUtcNow());
            certificates.Own([ca]);
            return ca;
        });
    }

    public X509Certificate2 For(SimulatedNode node, KubeletMode mode) =>
        _issued.GetOrAdd((node.Index, mode), static (key, state) => state.Self.Issue(state.Node, key.Mode), (Self: this, Node: node));

    private X509Certificate2 Issue(SimulatedNode node, KubeletMode mode)
    {
        // Real time, as every simulator certificate: a test's fake clock must not decide what is expired.
        var now = TimeProvider.System.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        IPAddress[] ownIp = [IPAddress.Parse(node.Address)];
        var cert = mode switch
        {
            // Valid from now-2y-1h to now-1y.
            KubeletMode.ExpiredCertificate => CertificateFactory.Issue(_certificates.Ca, key, node.Name, true, ownIp, [node.Name], now.AddYears(-2)),
            KubeletMode.WrongHostCertificate => CertificateFactory.Issue(_certificates.Ca, key, "wrong-host.invalid", true,
                [IPAddress.Parse("192.0.2.1")], ["wrong-host.invalid"], now),
            _ => CertificateFactory.Issue(_untrustedCa.Value, key, node.Name, true, ownIp, [node.Name], now),
        };
        _certificates.Own([cert]);
        return cert;
    }
}
