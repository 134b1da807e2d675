using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.Configuration;
using TinyMetrics.Kube;

namespace TinyMetrics.Security;

/// <summary>
/// Keeps <see cref="Current"/> up to date: CA files from the flags are re-read when their content
/// changes (checked every few seconds, as the serving certificate), and what the flags leave out is
/// looked up in the authentication ConfigMap (upstream's lookupMissingConfigInCluster) and followed
/// with a periodic refresh.
/// </summary>
/// <remarks>
/// One writer: a single loop on the injected clock checks both CA files on every tick and reads the
/// ConfigMap every <see cref="RefreshInterval"/>, and publishes a new immutable configuration with one
/// volatile write when something changed. A <see cref="PeriodicTimer"/> never runs two passes at once, so
/// a slow ConfigMap read delays the next pass instead of racing it, and a configuration is never replaced
/// by an older one.
/// </remarks>
internal sealed class AuthenticationConfigSource : IDisposable
{
    /// <summary>
    /// How often the ConfigMap is read. Upstream watches it; a GET of a few KiB every 10 s is as cheap and
    /// follows a CA rotation by kube-apiserver before the aggregator gives up on the APIService.
    /// </summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    private readonly ServerOptions _options;
    private readonly KubeReviewClient? _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _lookup;
    private readonly ReloadableFiles<X509Certificate2Collection>? _clientCaFile;
    private readonly ReloadableFiles<X509Certificate2Collection>? _requestHeaderCaFile;
    private readonly CancellationTokenSource _stopping = new();
    private PeriodicTimer? _timer;

    // Written by Start, then by the loop alone.
    private ConfigMapAuthentication.Values? _fromConfigMap;
    private long _configMapReadAt;
    private AuthenticationConfig _current;

    private AuthenticationConfigSource(ServerOptions options, KubeReviewClient? client, TimeProvider time, ILogger logger)
    {
        _options = options;
        _client = client;
        _time = time;
        _logger = logger;
        _lookup = !options.AuthenticationSkipLookup && client is not null
            && (options.ClientCaFile.Length == 0 || options.RequestheaderClientCaFile.Length == 0);
        _clientCaFile = options.ClientCaFile.Length > 0 ? CertificateBundle.Reloadable("client CA", options.ClientCaFile, CaBundleAnnouncement("client-ca-bundle", options.ClientCaFile)) : null;
        _requestHeaderCaFile = options.RequestheaderClientCaFile.Length > 0
            ? CertificateBundle.Reloadable("request-header client CA", options.RequestheaderClientCaFile, CaBundleAnnouncement("request-header", options.RequestheaderClientCaFile))
            : null;
        _current = Build();
    }

    // Upstream's dynamiccertificates names a CA file purpose::path ("client-ca-bundle", "request-header") in its reload line.
    private static Action<ILogger> CaBundleAnnouncement(string purpose, string path)
    {
        var name = $"{purpose}::{path}";
        return logger => logger.LoadedCaBundle(name);
    }

    /// <summary>The configuration in force; load it once per request.</summary>
    public AuthenticationConfig Current => Volatile.Read(ref _current);

    /// <summary>
    /// Loads the configuration once, then keeps refreshing it. The first ConfigMap read blocks: the
    /// server must not serve before it knows whom to trust, and start-up fails as upstream's when the
    /// ConfigMap cannot be read and failures are not tolerated.
    /// </summary>
    public static AuthenticationConfigSource Start(ServerOptions options, KubeReviewClient? client, TimeProvider time, TimeSpan fileCheckInterval, ILogger logger)
    {
        var source = new AuthenticationConfigSource(options, client, time, logger);
        if (source._lookup)
            source.LookupAtStart();
        else if (client is null && options.ClientCaFile.Length == 0)
            logger.NoAuthenticationKubeconfig();
        if (source._lookup || source._clientCaFile is not null || source._requestHeaderCaFile is not null)
        {
            // Files are checked on every tick, so a tick longer than the refresh would slow the ConfigMap down.
            source._timer = new PeriodicTimer(fileCheckInterval < RefreshInterval ? fileCheckInterval : RefreshInterval, time);
            _ = source.RunAsync(source._timer, source._stopping.Token);
        }
        return source;
    }

    /// <summary>
    /// One pass of the loop, reading the ConfigMap whether due or not. The loop is its only caller in the
    /// server; tests call it while their fake clock stands still, so it never runs beside the loop.
    /// </summary>
    public Task RefreshAsync() => RefreshAsync(_lookup, _stopping.Token);

    public void Dispose()
    {
        _stopping.Cancel();
        _timer?.Dispose();
        _clientCaFile?.Dispose();
        _requestHeaderCaFile?.Dispose();
    }

    private async Task RunAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        // A tick can come a little early or late: half a tick of slack keeps the ConfigMap read on every
        // second 5 s tick instead of slipping to the third.
        var configMapDue = RefreshInterval - timer.Period / 2;
        while (await timer.WaitForNextTickAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await RefreshAsync(_lookup && _time.GetElapsedTime(_configMapReadAt) >= configMapDue, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // An unforeseen failure keeps the published configuration and the loop alive for the next tick.
                _logger.AuthenticationRefreshFailed(ex.GetType().Name, ex.Message);
            }
        }
    }

    private async Task RefreshAsync(bool readConfigMap, CancellationToken stopping)
    {
        // Both files are checked on every pass; a changed file is published before the slower ConfigMap read.
        var clientCaChanged = _clientCaFile?.Check(_logger) == true;
        var requestHeaderCaChanged = _requestHeaderCaFile?.Check(_logger) == true;
        if (clientCaChanged || requestHeaderCaChanged)
            Publish();
        if (readConfigMap && await ReadConfigMapAsync(stopping).ConfigureAwait(false))
        {
            Publish();
            _logger.AuthenticationConfigMapChanged();
        }
    }

    // True when the ConfigMap's content changed; a failed read keeps the last good values.
    private async Task<bool> ReadConfigMapAsync(CancellationToken stopping)
    {
        _configMapReadAt = _time.GetTimestamp();
        try
        {
            var fetched = await ConfigMapAuthentication.FetchAsync(_client!, stopping).ConfigureAwait(false);
            // Unchanged content keeps the published configuration, and with it every connection's cached verdict.
            if (fetched?.Content == _fromConfigMap?.Content)
                return false;
            _fromConfigMap = fetched;
            return true;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidDataException
            or UnauthorizedAccessException or CryptographicException)
        {
            _logger.AuthenticationRefreshFailed(ex.GetType().Name, ex.Message);
            return false;
        }
    }

    private void LookupAtStart()
    {
        _configMapReadAt = _time.GetTimestamp();
        try
        {
            _fromConfigMap = ConfigMapAuthentication.FetchAsync(_client!, CancellationToken.None).GetAwaiter().GetResult();
            if (_fromConfigMap is null)
                _logger.AuthenticationConfigMapMissing();
            Publish();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException or CryptographicException)
        {
            if (!_options.AuthenticationTolerateLookupFailure)
                throw new InvalidDataException("unable to load configmap based request-header-client-ca-file: " + ex.Message, ex);
            _logger.AuthenticationLookupTolerated(ex.Message);
        }
    }

    private void Publish() => Volatile.Write(ref _current, Build());

    private AuthenticationConfig Build()
    {
        var o = _options;
        var requestHeader = _requestHeaderCaFile is not null
            ? new FrontProxySettings(_requestHeaderCaFile.Current, [.. o.RequestheaderAllowedNames],
                [.. o.RequestheaderUsernameHeaders], [.. o.RequestheaderGroupHeaders], [.. o.RequestheaderExtraHeadersPrefix])
            {
                UidHeaders = [.. o.RequestheaderUidHeaders],
            }
            : _fromConfigMap?.RequestHeader ?? new FrontProxySettings(null, [], [.. o.RequestheaderUsernameHeaders],
                [.. o.RequestheaderGroupHeaders], [.. o.RequestheaderExtraHeadersPrefix]);
        var clientCa = _clientCaFile is not null ? _clientCaFile.Current : _fromConfigMap?.ClientCa;
        return new AuthenticationConfig(requestHeader, clientCa);
    }
}
