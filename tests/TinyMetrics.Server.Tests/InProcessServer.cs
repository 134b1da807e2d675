using System.Net;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Configuration;
using TinyMetrics.Security.Tests;
using TinyMetrics.Selectors;

namespace TinyMetrics.Tests;

/// <summary>
/// The real server (Kestrel, TLS, front-proxy authentication) started in-process on a loopback port
/// with openssl-made certificates, against a fake Kubernetes API that reviews tokens and access but lists nothing,
/// so it serves empty metrics.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly ServerApp _app;

    private InProcessServer(ServerApp app, int port, FakeKubeApi api)
    {
        _app = app;
        Port = port;
        Api = api;
    }

    public int Port { get; }

    public FakeKubeApi Api { get; }

    public OpenSslCertificates Certificates => Api.Certificates;

    /// <summary>The "Serving securely on" address, e.g. <c>[::]:PORT</c>.</summary>
    public string Endpoint => _app.Endpoint;

    /// <summary>
    /// Certificates: proxy (front-proxy CA, allowed CN), stranger (front-proxy CA, CN not allowed), foreign (unknown CA),
    /// developer (client CA, CN=developer, O=developers). The client CA comes from the fake API's ConfigMap, as in a cluster.
    /// </summary>
    public static async Task<InProcessServer> StartAsync(params string[] extraFlags)
    {
        var certs = new OpenSslCertificates();
        certs.CreateCa("front-proxy-ca");
        certs.CreateCa("other-ca");
        certs.CreateCa("client-ca");
        certs.CreateLeaf("proxy", "front-proxy-ca", "front-proxy-client");
        certs.CreateLeaf("stranger", "front-proxy-ca", "not-the-proxy");
        certs.CreateLeaf("foreign", "other-ca", "front-proxy-client");
        certs.CreateLeaf("developer", "client-ca", "developer", organization: "developers");
        var api = await FakeKubeApi.StartAsync(certs);
        api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(certs.PathOf("client-ca.crt"), null);
        var kubeconfig = api.WriteKubeconfig();
        var port = FreeLoopbackPort();
        var parsed = FlagParser.Parse([$"--kubeconfig={kubeconfig}", "--bind-address=127.0.0.1", $"--secure-port={port}",
            $"--cert-dir={certs.PathOf("serving")}", $"--requestheader-client-ca-file={certs.PathOf("front-proxy-ca.crt")}",
            "--requestheader-allowed-names=front-proxy-client", "--metric-resolution=10s", "--kubelet-request-timeout=5s", .. extraFlags]);
        if (parsed.Options is null)
            throw new InvalidOperationException(parsed.Text);
        LabelSelector.TryParse(parsed.Options.NodeSelector, out var selector, out _);
        var app = ServerApp.Create(parsed.Options, selector, TimeProvider.System);
        await app.StartAsync();
        return new InProcessServer(app, port, api);
    }

    /// <summary>An HTTPS client presenting <paramref name="certificateName"/> (or none) that trusts the self-signed server.</summary>
    public HttpClient Client(string? certificateName)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        if (certificateName is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(Certificates.PathOf(certificateName + ".crt"), Certificates.PathOf(certificateName + ".key"));
            handler.SslOptions.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }
        return new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(20) };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await Api.DisposeAsync();
        Certificates.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
