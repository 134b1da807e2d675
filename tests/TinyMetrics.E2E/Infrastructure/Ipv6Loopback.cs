using System.Net;
using System.Net.Sockets;

namespace TinyMetrics.E2E.Infrastructure;

/// <summary>Whether this host has ::1 (a container or kernel without IPv6 has not); the IPv6 tests skip without it.</summary>
public static class Ipv6Loopback
{
    public const string SkipReason = "no IPv6 on the loopback interface (ip -6 addr show lo): the IPv6 tests did not run";

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

    /// <summary>GET https://<paramref name="host"/>:<paramref name="port"/>/readyz without verifying the self-signed serving certificate.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadyzAsync(string host, int port)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = static (_, _, _, _) => true };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        using var response = await client.GetAsync(new Uri($"https://{host}:{port}/readyz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
