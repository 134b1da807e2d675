using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TinyMetrics.Kube.Tests;

/// <summary>Writes the response; returns true to keep the connection open for the next request.</summary>
public delegate Task<bool> TestHandler(TestRequest request, Stream stream, CancellationToken cancellationToken);

/// <summary>
/// A tiny HTTP/1.1 server (TLS when given a certificate) on a loopback address, for tests. It
/// counts accepted connections and records requests; disposing it stops every connection.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly bool _askClientCertificate;
    private readonly TestHandler _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public LoopbackHttpServer(IPAddress address, X509Certificate2? certificate, TestHandler handler, bool askClientCertificate = false)
    {
        _certificate = certificate;
        _askClientCertificate = askClientCertificate;
        _handler = handler;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPAddress Address => ((IPEndPoint)_listener.LocalEndpoint).Address;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Uri BaseUri => new($"{(_certificate is null ? "http" : "https")}://{Address}:{Port}");

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public ConcurrentQueue<TestRequest> Requests { get; } = new();

    /// <summary>Subjects of the client certificates presented (when asked for).</summary>
    public ConcurrentQueue<string> ClientCertificates { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
            await Task.WhenAll(_connections).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                _connections.Add(Task.Run(() => ServeAsync(client)));
            }
        }
        catch (Exception)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var token = _stop.Token;
        using var registration = token.Register(client.Dispose);
        try
        {
            using (client)
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                    var options = new SslServerAuthenticationOptions { ServerCertificate = _certificate };
                    if (_askClientCertificate)
                    {
                        options.ClientCertificateRequired = true;
                        options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
                    }
                    await ssl.AuthenticateAsServerAsync(options, token);
                    if (ssl.RemoteCertificate is { } clientCertificate)
                        ClientCertificates.Enqueue(clientCertificate.Subject);
                    stream = ssl;
                }
                await using (stream)
                {
                    while (await ReadRequestAsync(stream, token) is { } request)
                    {
                        Requests.Enqueue(request);
                        if (!await _handler(request, stream, token))
                            break;
                    }
                }
            }
        }
        catch (Exception)
        {
            // A dropped connection, a failed handshake or the server stopping: all end this connection only.
        }
    }

    private static async Task<TestRequest?> ReadRequestAsync(Stream stream, CancellationToken token)
    {
        var bytes = new List<byte>(512);
        var one = new byte[1];
        while (bytes.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one, token) == 0)
                return null;
            bytes.Add(one[0]);
            var n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                return Parse(Encoding.ASCII.GetString(bytes.ToArray()));
        }
        return null;
    }

    private static TestRequest Parse(string head)
    {
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        return new TestRequest(parts[0], parts[1], headers);
    }
}
