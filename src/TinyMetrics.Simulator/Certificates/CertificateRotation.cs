using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// Rotates the front-proxy CA (and the aggregator's client certificate) or the kubelet CA (and every kubelet serving
/// certificate) in three steps, rewriting the files in the simulator's folder as each step takes effect.
/// </summary>
internal sealed class CertificateRotation
{
    private readonly Lock _gate = new();
    private readonly ClusterCertificates _certificates;
    private readonly SimulatedCluster _cluster;
    private readonly string _directory;
    private X509Certificate2? _incomingFrontProxyClient;
    private int _caSerial = 1;

    public CertificateRotation(ClusterCertificates certificates, SimulatedCluster cluster, string directory)
    {
        _certificates = certificates;
        _cluster = cluster;
        _directory = directory;
    }

    /// <summary>Runs one front-proxy step; answers why not when it is out of order, else null.</summary>
    public string? RotateFrontProxy(RotationPhase phase, DateTimeOffset now)
    {
        lock (_gate)
        {
            var cas = _certificates.FrontProxyCas;
            if (cas.Refusal(phase) is { } refusal)
                return refusal;
            switch (phase)
            {
                case RotationPhase.Add:
                    var ca = NewCa("tinymetrics-sim-front-proxy-ca", now);
                    _incomingFrontProxyClient = ClusterCertificates.IssueFrontProxyClient(ca, now);
                    _certificates.Own([ca, _incomingFrontProxyClient]);
                    cas.Add(ca);
                    WriteTrust("front-proxy-ca.crt", cas.TrustPem, ca);
                    break;
                case RotationPhase.Switch:
                    cas.Switch();
                    _certificates.PublishFrontProxyClient(_incomingFrontProxyClient!);
                    PemFiles.Write(_directory, "front-proxy-client", _incomingFrontProxyClient!);
                    break;
                default:
                    cas.Drop();
                    WriteTrust("front-proxy-ca.crt", cas.TrustPem, null);
                    break;
            }
            _certificates.NextRevision();
            return null;
        }
    }

    /// <summary>Runs one kubelet step; answers why not when it is out of order, else null.</summary>
    public string? RotateKubelets(RotationPhase phase, DateTimeOffset now)
    {
        lock (_gate)
        {
            var cas = _certificates.KubeletCas;
            if (cas.Refusal(phase) is { } refusal)
                return refusal;
            switch (phase)
            {
                case RotationPhase.Add:
                    var ca = NewCa("tinymetrics-sim-kubelet-ca", now);
                    _certificates.Own([ca]);
                    cas.Add(ca);
                    WriteTrust("kubelet-ca.crt", cas.TrustPem, null);
                    break;
                case RotationPhase.Switch:
                    var kubelets = ClusterCertificates.IssueKubelets(_cluster, cas.Incoming!, now);
                    _certificates.Own(kubelets.Values);
                    cas.Switch();
                    _certificates.PublishKubelets(kubelets);
                    _certificates.WriteKubelets(_directory);
                    break;
                default:
                    cas.Drop();
                    WriteTrust("kubelet-ca.crt", cas.TrustPem, null);
                    break;
            }
            _certificates.NextRevision();
            return null;
        }
    }

    private X509Certificate2 NewCa(string baseName, DateTimeOffset now) =>
        CertificateFactory.CreateCa(baseName + "-" + (++_caSerial).ToString(CultureInfo.InvariantCulture), now);

    // The key of a bundle file's first certificate goes beside it, as NAME.key does for a single certificate.
    private void WriteTrust(string file, string pem, X509Certificate2? keyOf)
    {
        if (keyOf is not null)
        {
            using var key = keyOf.GetECDsaPrivateKey() ?? throw new InvalidOperationException("CA has no ECDSA key");
            PemFiles.WritePrivate(Path.Combine(_directory, Path.ChangeExtension(file, ".key")), key.ExportPkcs8PrivateKeyPem());
        }
        PemFiles.WriteCertificates(Path.Combine(_directory, file), pem);
    }
}
