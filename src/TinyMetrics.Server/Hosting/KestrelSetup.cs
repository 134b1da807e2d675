using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using TinyMetrics.Configuration;

namespace TinyMetrics.Hosting;

/// <summary>The one HTTPS listener on --bind-address:--secure-port, with bounded requests and timeouts.</summary>
internal static class KestrelSetup
{
    public static void Configure(IWebHostBuilder webHost, ServerOptions options, X509Certificate2 certificate)
    {
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The API has no writes: a request body is never needed, headers stay small.
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            if (options.Http2MaxStreamsPerConnection > 0)
                kestrel.Limits.Http2.MaxStreamsPerConnection = options.Http2MaxStreamsPerConnection;
            if (options.SecurePort == 0)
                return;
            kestrel.Listen(options.BindAddress, options.SecurePort, listen =>
            {
                listen.Protocols = options.DisableHttp2Serving ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    // The certificate is asked for but judged per request (FrontProxyAuthentication), so a
                    // client with a wrong certificate gets a 401 Status body, not a dropped connection.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = static (_, _, _) => true,
                    CheckCertificateRevocation = false,
                    SslProtocols = options.TlsMinVersion == "VersionTLS13" ? SslProtocols.Tls13 : SslProtocols.Tls12 | SslProtocols.Tls13,
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                });
            });
        });
    }
}
