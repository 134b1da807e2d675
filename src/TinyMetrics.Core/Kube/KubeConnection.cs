using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;

namespace TinyMetrics.Kube;

/// <summary>
/// Where the Kubernetes API is and how to talk to it, read from a kubeconfig or the in-cluster
/// service account. The same credentials and CA are the defaults for kubelets, as metrics-server's kubelet_client.go Config.
/// </summary>
public sealed class KubeConnection
{
    public const string ServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

    public KubeConnection(Uri server, TlsSettings tls, IBearerTokenSource? token)
    {
        Server = server;
        Tls = tls;
        Token = token;
    }

    public Uri Server { get; }

    public TlsSettings Tls { get; }

    public IBearerTokenSource? Token { get; }

    /// <summary>
    /// <paramref name="kubeconfigPath"/> empty or null: in-cluster configuration, as upstream's
    /// <c>--kubeconfig=""</c>. Throws <see cref="k8s.Exceptions.KubeConfigException"/> on a bad file.
    /// </summary>
    public static KubeConnection Load(string? kubeconfigPath, TimeProvider time)
    {
        if (string.IsNullOrEmpty(kubeconfigPath))
        {
            var inCluster = KubernetesClientConfiguration.InClusterConfig();
            // Our own reader: it notices rotation by mtime instead of re-reading blindly.
            var token = new FileTokenSource(Path.Combine(ServiceAccountDir, "token"), time);
            return FromConfiguration(inCluster, token);
        }
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        return FromConfiguration(config, null);
    }

    /// <summary>Converts a parsed configuration; <paramref name="token"/> overrides its token when given.</summary>
    public static KubeConnection FromConfiguration(KubernetesClientConfiguration config, IBearerTokenSource? token)
    {
        var server = new Uri(config.Host ?? throw new ArgumentException("kubeconfig has no server", nameof(config)));
        token ??= config.AccessToken is { Length: > 0 } access ? new StaticTokenSource(access)
            : config.TokenProvider is ITokenProvider provider ? new ProviderTokenSource(provider)
            : null;
        var tls = new TlsSettings(config.SslCaCerts, LoadClientCertificate(config), config.SkipTlsVerify, config.TlsServerName);
        return new KubeConnection(server, tls, token);
    }

    /// <summary>Creates the handler for API calls: pooled keep-alive connections, no proxy, no cookies, no redirects.</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        Tls.Apply(handler.SslOptions);
        return handler;
    }

    private static X509Certificate2? LoadClientCertificate(KubernetesClientConfiguration config)
    {
        if (config.ClientCertificateData is { Length: > 0 } certData && config.ClientCertificateKeyData is { Length: > 0 } keyData)
            return X509Certificate2.CreateFromPem(FromBase64(certData), FromBase64(keyData));
        if (config.ClientCertificateFilePath is { Length: > 0 } certFile && config.ClientKeyFilePath is { Length: > 0 } keyFile)
            return X509Certificate2.CreateFromPemFile(certFile, keyFile);
        return null;
    }

    private static string FromBase64(string data) => Encoding.UTF8.GetString(Convert.FromBase64String(data));
}
