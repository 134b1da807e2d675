namespace TinyMetrics.Simulator.Api;

/// <summary>
/// kube-system/extension-apiserver-authentication, as kube-apiserver publishes it for aggregated servers; built per
/// request because a front-proxy CA rotation changes it.
/// </summary>
internal static class AuthenticationConfigMap
{
    public const string Name = "extension-apiserver-authentication";

    public static ConfigMap Create(ApiState state)
    {
        var certs = state.Certificates;
        return new ConfigMap
        {
            Metadata = new ObjectMeta
            {
                Name = Name,
                Namespace = "kube-system",
                Uid = "00000000-0000-4000-8000-000000000001",
                ResourceVersion = (42 + certs.Revision).ToString(System.Globalization.CultureInfo.InvariantCulture),
                CreationTimestamp = ObjectRenderer.Timestamp(state.Cluster.StartUnixNanos),
            },
            Data = new Dictionary<string, string>
            {
                ["client-ca-file"] = certs.Ca.ExportCertificatePem() + "\n",
                ["requestheader-allowed-names"] = "[\"front-proxy-client\"]",
                ["requestheader-client-ca-file"] = certs.FrontProxyTrustPem + "\n",
                ["requestheader-extra-headers-prefix"] = "[\"X-Remote-Extra-\"]",
                ["requestheader-group-headers"] = "[\"X-Remote-Group\"]",
                ["requestheader-username-headers"] = "[\"X-Remote-User\"]",
                ["requestheader-uid-headers"] = "[\"X-Remote-Uid\"]",
            },
        };
    }
}
