using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>
/// Ports for the servers a test starts, taken from below the kernel's ephemeral range. A port the kernel hands
/// out for bind(0) or for an outgoing connection can be handed out again the moment it is released: another
/// cluster's simulator or one of kubectl's connections took a "free" port between the pick and tinymetrics'
/// bind, and the aggregation proxy then dialled the wrong server (run D: 401 until the start timed out).
/// Below the range only this process hands ports out, each once, and each is checked free on every address.
/// </summary>
public static class FreePort
{
    private const int Span = 10_000;
    private static readonly int First = FirstPort();
    private static int _offset = Environment.ProcessId * 7 % Span;

    public static int Next()
    {
        for (var attempt = 0; attempt < Span; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _offset) % Span);
            if (IsFree(port))
                return port;
        }
        throw new InvalidOperationException($"no free port in {First}..{First + Span - 1}");
    }

    // The span ends where the ephemeral range (/proc/sys/net/ipv4/ip_local_port_range, 32768 by default) begins.
    private static int FirstPort()
    {
        var ephemeralStart = 32768;
        try
        {
            ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            // Not Linux or no procfs: the default range.
        }
        return Math.Max(1024, ephemeralStart - Span);
    }

    // Free on the wildcard addresses means free on every address: some clusters listen on all of them.
    private static bool IsFree(int port)
    {
        try
        {
            using var v4 = new TcpListener(IPAddress.Any, port);
            v4.Start();
            if (!Socket.OSSupportsIPv6)
                return true;
            using var v6 = new TcpListener(IPAddress.IPv6Any, port);
            v6.Server.DualMode = false;
            v6.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
