using System.Text;

namespace TinyMetrics.Simulator.Hosting;

/// <summary>The two kubeconfigs: one for TinyMetrics (service-account token), one for kubectl (admin token).</summary>
internal static class KubeconfigFiles
{
    public const string MetricsServerFile = "tinymetrics.kubeconfig";
    public const string KubectlFile = "kubectl.kubeconfig";
    public const string ContextName = "tinymetrics-sim";

    public static void Write(string directory, Uri apiUri, string caPem, string metricsToken, string adminToken)
    {
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        var server = apiUri.GetLeftPart(UriPartial.Authority);
        Certificates.PemFiles.WritePrivate(Path.Combine(directory, MetricsServerFile),
            Render(server, caData, "metrics-server", metricsToken));
        Certificates.PemFiles.WritePrivate(Path.Combine(directory, KubectlFile), Render(server, caData, "admin", adminToken));
    }

    private static string Render(string server, string caData, string user, string token) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{ContextName}}
          cluster:
            server: {{server}}
            certificate-authority-data: {{caData}}
        users:
        - name: {{user}}
          user:
            token: {{token}}
        contexts:
        - name: {{ContextName}}
          context:
            cluster: {{ContextName}}
            user: {{user}}
            namespace: default
        current-context: {{ContextName}}
        preferences: {}

        """;
}
