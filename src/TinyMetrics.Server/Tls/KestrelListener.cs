using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TinyMetrics.Configuration;

namespace TinyMetrics.Tls;

/// <summary>
/// The one HTTPS listener on --bind-address:--secure-port, with bounded requests and timeouts. Values follow
/// the Go apiserver's http.Server and http2.Server (k8s.io/apiserver SecureServingInfo.Serve).
/// </summary>
internal static class KestrelListener
{
    public static void Configure(IWebHostBuilder webHost, ServerOptions options, ServingTls tls, ServingTuning tuning)
    {
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ApplyLimits(kestrel.Limits, options, tuning);
            if (options.SecurePort == 0)
                return;
            Action<ListenOptions> configure = listen =>
            {
                listen.Protocols = options.DisableHttp2Serving ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls.HandshakeOptions());
            };
            // Go listens on an unspecified address (0.0.0.0 as well as ::) with one dual-stack socket, and on
            // IPv4 alone where the host has no IPv6: Kestrel's any-IP endpoint does the same.
            if (IsUnspecified(options.BindAddress))
                kestrel.ListenAnyIP(options.SecurePort, configure);
            else
                kestrel.Listen(options.BindAddress, options.SecurePort, configure);
        });
    }

    public static bool IsUnspecified(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    /// <summary>
    /// Where the server listens, as Go's listener address prints: <c>[::]:10250</c> for the dual-stack socket,
    /// <c>0.0.0.0:10250</c> on an IPv4-only host, <c>127.0.0.1:10250</c>, <c>[::1]:10250</c>.
    /// </summary>
    public static string Describe(IServer server)
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri))
                return uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        }
        return "";
    }

    /// <summary>
    /// The one line a listener that cannot be opened ends the start with, in the generic apiserver's words
    /// (<c>failed to create listener: failed to listen on 127.0.0.1:443: listen tcp 127.0.0.1:443: bind: address
    /// already in use</c>); null when <paramref name="failure"/> is not a socket refusing to bind.
    /// </summary>
    public static string? DescribeBindFailure(Exception failure, ServerOptions options)
    {
        SocketException? socket = null;
        for (var inner = failure; inner is not null && socket is null; inner = inner.InnerException)
            socket = inner as SocketException;
        if (socket is null)
            return null;
        var address = JoinHostPort(options.BindAddress, options.SecurePort);
        var reason = socket.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => "address already in use",
            SocketError.AccessDenied => "permission denied",
            SocketError.AddressNotAvailable => "cannot assign requested address",
            _ => socket.Message.ToLowerInvariant(),
        };
        return $"failed to create listener: failed to listen on {address}: listen tcp {address}: bind: {reason}";
    }

    // Go's net.JoinHostPort: an IPv6 literal in brackets.
    private static string JoinHostPort(IPAddress address, int port) =>
        (address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString()) + ":" + port.ToString(CultureInfo.InvariantCulture);

    private static void ApplyLimits(KestrelServerLimits limits, ServerOptions options, ServingTuning tuning)
    {
        // The API has no writes: a request body is never needed.
        limits.MaxRequestBodySize = 64 * 1024;
        // Go: MaxHeaderBytes 1 MiB; the front proxy may send many X-Remote-Group/Extra headers, so the
        // count is bounded by the total size rather than Kestrel's default of 100.
        limits.MaxRequestHeadersTotalSize = 1024 * 1024;
        limits.MaxRequestHeaderCount = 4096;
        limits.MaxRequestLineSize = 16 * 1024;
        limits.RequestHeadersTimeout = tuning.RequestHeadersTimeout;
        limits.KeepAliveTimeout = tuning.KeepAliveTimeout;
        // Go has no body/response deadlines beyond per-request timeouts; a peer reading or writing
        // under 240 B/s after a 5 s grace is a stuck or hostile client either way.
        limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        limits.MinResponseDataRate = new MinDataRate(240, TimeSpan.FromSeconds(5));
        // Go: MaxConcurrentStreams = --http2-max-streams-per-connection, else 250 made explicit.
        limits.Http2.MaxStreamsPerConnection = options.Http2MaxStreamsPerConnection > 0 ? options.Http2MaxStreamsPerConnection : 250;
        limits.Http2.MaxRequestHeaderFieldSize = 64 * 1024;
    }
}
