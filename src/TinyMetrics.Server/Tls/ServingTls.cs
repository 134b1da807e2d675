using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using TinyMetrics.Configuration;
using TinyMetrics.Kube;
using ZLogger;

namespace TinyMetrics.Tls;

/// <summary>
/// What every HTTPS handshake is offered: the current serving certificate (or the --tls-sni-cert-key one
/// the client's SNI names), the protocol versions from --tls-min-version, the suites from
/// --tls-cipher-suites, ALPN h2 unless --disable-http2-serving, and the names of the client CAs.
/// </summary>
internal sealed class ServingTls : IDisposable
{
    private static readonly List<SslApplicationProtocol> s_h2AndHttp11 = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
    private static readonly List<SslApplicationProtocol> s_http11 = [SslApplicationProtocol.Http11];

    private readonly SslProtocols _protocols;
    private readonly CipherSuitesPolicy? _cipherPolicy;
    private readonly List<SslApplicationProtocol> _alpn;
    private readonly List<string> _warnings;
    private readonly ServingTuning _tuning;
    private readonly ReloadableFiles<ServingIdentity> _serving;
    private readonly SniCertificates? _sni;
    private Func<X509Certificate2Collection?>? _clientCas;

    private ServingTls(ReloadableFiles<ServingIdentity> serving, SniCertificates? sni, SslProtocols protocols, CipherSuitesPolicy? cipherPolicy, bool http2,
        List<string> warnings, ServingTuning tuning)
    {
        _serving = serving;
        _sni = sni;
        _protocols = protocols;
        _cipherPolicy = cipherPolicy;
        _alpn = http2 ? s_h2AndHttp11 : s_http11;
        _warnings = warnings;
        _tuning = tuning;
    }

    /// <summary>Validates the TLS flags and loads the certificate; a bad value throws <see cref="InvalidDataException"/>.</summary>
    public static ServingTls Create(ServerOptions options, ServingTuning tuning, TimeProvider time, out bool generated)
    {
        var warnings = new List<string>();
        var protocols = TlsFlags.MinVersion(options.TlsMinVersion, warnings);
        var suites = TlsFlags.CipherSuites(options.TlsCipherSuites, warnings);
        var policy = suites is null || OperatingSystem.IsWindows() ? null : new CipherSuitesPolicy(suites);
        if (options.Http2MaxStreamsPerConnection < 0)
            throw new InvalidDataException($"--http2-max-streams-per-connection must not be negative, got {options.Http2MaxStreamsPerConnection}");
        var (certFile, keyFile) = ServingCertificate.Resolve(options.TlsCertFile, options.TlsPrivateKeyFile, options.CertDir, time, out generated);
        var serving = ServingIdentity.Reloadable(certFile, keyFile, "serving certificate", "serving-cert");
        var sni = SniCertificates.Create(options.TlsSniCertKeys);
        return new ServingTls(serving, sni, protocols, policy, !options.DisableHttp2Serving, warnings, tuning);
    }

    /// <summary>Logs the start-up warnings and starts watching the certificate files.</summary>
    public void Start(TimeProvider time, ILogger logger)
    {
        foreach (var warning in _warnings)
            logger.TlsWarning(warning);
        _serving.Start(time, _tuning.CertificateCheckInterval, logger);
        _sni?.Start(time, _tuning.CertificateCheckInterval, logger);
    }

    /// <summary>The CAs whose names the certificate request carries; read per handshake, so it follows reloads.</summary>
    public void NameClientCas(Func<X509Certificate2Collection?> clientCas) => _clientCas = clientCas;

    public TlsHandshakeCallbackOptions HandshakeOptions() => new()
    {
        OnConnection = context =>
        {
            var options = AuthenticationOptions(context.ClientHelloInfo.ServerName);
            var items = context.Connection.Items;
            options.RemoteCertificateValidationCallback = (_, leaf, chain, _) =>
            {
                PeerIntermediates.Keep(items, leaf, chain);
                return true;
            };
            return ValueTask.FromResult(options);
        },
        HandshakeTimeout = _tuning.HandshakeTimeout,
    };

    /// <summary>Fresh options per handshake, so a rotated certificate is used from the next connection on.</summary>
    public SslServerAuthenticationOptions AuthenticationOptions(string? serverName = null) => new()
    {
        ServerCertificateContext = HandshakeContext(serverName),
        EnabledSslProtocols = _protocols,
        CipherSuitesPolicy = _cipherPolicy,
        ApplicationProtocols = _alpn,
        // The certificate is asked for but judged per request (Security's AuthenticationChain), so a client
        // with a wrong certificate gets a 401 Status body, not a dropped connection.
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    public void Dispose()
    {
        _serving.Dispose();
        _sni?.Dispose();
    }

    private SslStreamCertificateContext HandshakeContext(string? serverName)
    {
        var identity = _sni?.Select(serverName) ?? _serving.Current;
        return _clientCas?.Invoke() is { Count: > 0 } cas ? identity.ContextNaming(cas) : identity.Context;
    }
}

internal static partial class TlsLog
{
    [ZLoggerMessage(7001, LogLevel.Warning, "{warning}")]
    public static partial void TlsWarning(this ILogger logger, string warning);

    [ZLoggerMessage(7002, LogLevel.Information, "Loaded a new cert/key pair {name}")]
    public static partial void LoadedCertKeyPair(this ILogger logger, string name);
}
