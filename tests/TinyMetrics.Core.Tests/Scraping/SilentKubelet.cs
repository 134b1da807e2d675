using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using TinyMetrics.Discovery;

namespace TinyMetrics.Scraping.Tests;

/// <summary>
/// A kubelet that takes the TCP connection and then says nothing, not even its half of the TLS handshake: the
/// black-holed or wedged node whose new connection holds a place among the handshakes in flight until the hold runs out.
/// </summary>
public sealed class SilentKubelet : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Task _acceptLoop;
    private int _acceptedCount;

    public SilentKubelet(string address)
    {
        _listener = new TcpListener(IPAddress.Parse(address), 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Connections taken so far.</summary>
    public int Accepted => Volatile.Read(ref _acceptedCount);

    /// <summary>A Ready node whose InternalIP and status port point at this kubelet.</summary>
    public NodeInfo Node(string name)
    {
        var endpoint = (IPEndPoint)_listener.LocalEndpoint;
        return new(name, LabelSet.Empty, [new NodeAddress("InternalIP", endpoint.Address.ToString())], endpoint.Port, null, true);
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Add(await _listener.AcceptSocketAsync());
                Interlocked.Increment(ref _acceptedCount);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        // Idempotent: a test may close it early to end a handshake, and again on its way out.
        while (_accepted.TryTake(out var socket))
            socket.Dispose();
    }
}
