using System.Net;
using System.Net.Sockets;
using TinyMetrics.Tests;

namespace TinyMetrics.Tls.Tests;

/// <summary>--bind-address over real sockets: which loopback of which family answers, and the address the log line shows.</summary>
[NotInParallel("in-process-server")]
public sealed class BindAddressTests
{
    [Test]
    [Arguments("0.0.0.0", "[::]", true, true)]
    [Arguments("::", "[::]", true, true)]
    [Arguments("127.0.0.1", "127.0.0.1", true, false)]
    [Arguments("::1", "[::1]", false, true)]
    public async Task BindAddress_Loopbacks_AnswerPerFamily(string bind, string shownHost, bool answersIpv4, bool answersIpv6)
    {
        Skip.When(!Ipv6Loopback.IsAvailable(), "no IPv6 on the loopback interface (ip -6 addr show lo)");
        await using var server = await InProcessServer.StartAsync($"--bind-address={bind}");

        await Assert.That(server.Endpoint).IsEqualTo($"{shownHost}:{server.Port}");
        await Assert.That(await AnswersAsync(server, IPAddress.Loopback)).IsEqualTo(answersIpv4);
        await Assert.That(await AnswersAsync(server, IPAddress.IPv6Loopback)).IsEqualTo(answersIpv6);
    }

    [Test]
    [Arguments("127.0.0.1", 443, SocketError.AddressAlreadyInUse,
        "failed to create listener: failed to listen on 127.0.0.1:443: listen tcp 127.0.0.1:443: bind: address already in use")]
    [Arguments("::1", 10250, SocketError.AccessDenied,
        "failed to create listener: failed to listen on [::1]:10250: listen tcp [::1]:10250: bind: permission denied")]
    [Arguments("::", 4443, SocketError.AddressAlreadyInUse,
        "failed to create listener: failed to listen on [::]:4443: listen tcp [::]:4443: bind: address already in use")]
    [Arguments("10.1.2.3", 4443, SocketError.AddressNotAvailable,
        "failed to create listener: failed to listen on 10.1.2.3:4443: listen tcp 10.1.2.3:4443: bind: cannot assign requested address")]
    public async Task BindFailure_OneLineInTheGenericApiserversWords(string bind, int port, SocketError error, string expected)
    {
        // Kestrel's shape: IOException("Failed to bind to address …") around AddressInUseException around the socket's error.
        var failure = new IOException("Failed to bind to address", new InvalidOperationException("bind", new SocketException((int)error)));
        var options = new Configuration.ServerOptions { BindAddress = IPAddress.Parse(bind), SecurePort = port };

        await Assert.That(KestrelListener.DescribeBindFailure(failure, options)).IsEqualTo(expected);
        await Assert.That(KestrelListener.DescribeBindFailure(new IOException("disk full"), options)).IsNull();
    }

    private static async Task<bool> AnswersAsync(InProcessServer server, IPAddress address)
    {
        using var client = server.Client(null);
        var uri = new Uri($"https://{new IPEndPoint(address, server.Port)}/livez");
        try
        {
            // Any HTTP answer over TLS proves the listener; the status depends on the fake API, not on the bind.
            using var response = await client.GetAsync(uri);
            return true;
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return false;
        }
    }
}

/// <summary>Whether this host has ::1 (a container or kernel without IPv6 has not).</summary>
internal static class Ipv6Loopback
{
    public static bool IsAvailable()
    {
        try
        {
            using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
