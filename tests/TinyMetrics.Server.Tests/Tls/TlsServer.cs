using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using TinyMetrics.Configuration;
using TinyMetrics.Security.Tests;
using TinyMetrics.Selectors;

namespace TinyMetrics.Tls.Tests;

/// <summary>
/// The real server in-process on a loopback port, serving an openssl-made certificate from a folder laid
/// out like a Kubernetes secret mount (tls.crt → ..data/tls.crt, ..data → ..vN), so a rotation is one
/// atomic symlink swap.
/// </summary>
public sealed class TlsServer : IAsyncDisposable
{
    private readonly ServerApp _app;
    private int _version;

    private TlsServer(ServerApp app, int port, OpenSslCertificates certificates)
    {
        _app = app;
        Port = port;
        Certificates = certificates;
    }

    public int Port { get; }

    public OpenSslCertificates Certificates { get; }

    /// <summary>Every line the server logs from the moment it starts, with its event id first.</summary>
    public CapturingLogger Log { get; } = new();

    /// <summary>Waits until a line with <paramref name="eventId"/> that contains <paramref name="text"/> is logged; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForLogAsync(int eventId, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in Log.Lines)
            {
                if (line.StartsWith($"{eventId} ", StringComparison.Ordinal) && line.Contains(text, StringComparison.Ordinal))
                    return true;
            }
            await Task.Delay(50);
        }
        return false;
    }

    public static async Task<TlsServer> StartAsync(ServingTuning? tuning = null, params string[] extraFlags)
    {
        var certs = new OpenSslCertificates();
        certs.CreateCa("serving-ca");
        CreateServingCertificate(certs, "serving-1");
        var port = FreeLoopbackPort();
        var parsed = FlagParser.Parse([$"--kubeconfig={await WriteKubeconfigAsync(certs)}", "--bind-address=127.0.0.1", $"--secure-port={port}",
            $"--tls-cert-file={certs.PathOf("mount/tls.crt")}", $"--tls-private-key-file={certs.PathOf("mount/tls.key")}",
            "--metric-resolution=10s", "--kubelet-request-timeout=5s",
            // No API server here: the authentication ConfigMap cannot be read (TLS is all these tests need),
            // and /livez/ping, which the tests probe, must not need an authorizer that is not there.
            "--authentication-skip-lookup", "--authorization-always-allow-paths=/healthz,/readyz,/livez,/livez/*", .. extraFlags]);
        if (parsed.Options is null)
            throw new InvalidOperationException(parsed.Text);
        LabelSelector.TryParse(parsed.Options.NodeSelector, out var selector, out _);
        MountFiles(certs, 1, "serving-1", "serving-1");
        ServerApp app;
        try
        {
            app = ServerApp.Create(parsed.Options, selector, TimeProvider.System,
                tuning ?? new ServingTuning { CertificateCheckInterval = TimeSpan.FromMilliseconds(300) });
        }
        catch (InvalidDataException)
        {
            certs.Dispose();
            throw;
        }
        var server = new TlsServer(app, port, certs) { _version = 1 };
        // Existing loggers (the certificate reload loop's among them) take a provider added later too.
        app.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(new CapturingProvider(server.Log));
        await app.StartAsync();
        return server;
    }

    /// <summary>Makes NAME.crt/NAME.key, a serving certificate for 127.0.0.1 signed by serving-ca.</summary>
    public static void CreateServingCertificate(OpenSslCertificates certs, string name) =>
        certs.CreateLeaf(name, "serving-ca", "tinymetrics-" + name, "serverAuth", subjectAltName: "IP:127.0.0.1,DNS:localhost");

    /// <summary>Points the mount at copies of the given files, swapping ..data atomically as the kubelet does.</summary>
    public void Mount(string certName, string? keyName = null) => MountFiles(Certificates, ++_version, certName, keyName ?? certName);

    private static void MountFiles(OpenSslCertificates certs, int number, string certName, string keyName)
    {
        var mount = certs.PathOf("mount");
        var version = $"..v{number}";
        Directory.CreateDirectory(Path.Combine(mount, version));
        File.Copy(certs.PathOf(certName + ".crt"), Path.Combine(mount, version, "tls.crt"));
        File.Copy(certs.PathOf(keyName + ".key"), Path.Combine(mount, version, "tls.key"));
        var data = Path.Combine(mount, "..data");
        if (number == 1)
        {
            File.CreateSymbolicLink(data, version);
            File.CreateSymbolicLink(Path.Combine(mount, "tls.crt"), "..data/tls.crt");
            File.CreateSymbolicLink(Path.Combine(mount, "tls.key"), "..data/tls.key");
            return;
        }
        var temporary = Path.Combine(mount, "..data_tmp");
        File.CreateSymbolicLink(temporary, version);
        Run("mv", "-T", temporary, data);
    }

    /// <summary>One fresh TLS handshake, as a client with the given settings sees it.</summary>
    /// <param name="serverName">The SNI name; an IP address sends none.</param>
    /// <param name="selectClientCertificate">Called when the server asks for a certificate, with the CA names it sent.</param>
    public async Task<SslStream> HandshakeAsync(SslProtocols protocols = SslProtocols.None, List<SslApplicationProtocol>? alpn = null,
        string serverName = "localhost", LocalCertificateSelectionCallback? selectClientCertificate = null)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = protocols,
            ApplicationProtocols = alpn,
            LocalCertificateSelectionCallback = selectClientCertificate,
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        }, timeout.Token);
        return ssl;
    }

    /// <summary>The SHA-1 thumbprint of the certificate in NAME.crt, as X509Certificate2.Thumbprint shows it.</summary>
    public string ThumbprintOf(string name)
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(Certificates.PathOf(name + ".crt")));
        return certificate.Thumbprint;
    }

    /// <summary>A client trusting any server certificate; with <paramref name="freshConnections"/> every request makes a new connection.</summary>
    public HttpClient Client(Version? version = null, bool freshConnections = false)
    {
        var handler = new SocketsHttpHandler();
        if (freshConnections)
            handler.PooledConnectionLifetime = TimeSpan.Zero;
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        return new HttpClient(handler)
        {
            BaseAddress = new Uri($"https://127.0.0.1:{Port}"),
            Timeout = TimeSpan.FromSeconds(10),
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    private sealed class CapturingProvider(CapturingLogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void Dispose()
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificates.Dispose();
    }

    private static async Task<string> WriteKubeconfigAsync(OpenSslCertificates certs)
    {
        var kubeconfig = certs.PathOf("unreachable.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:1
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                token: test-token
            contexts:
            - name: x
              context: {cluster: c, user: u}
            current-context: x
            """);
        return kubeconfig;
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
