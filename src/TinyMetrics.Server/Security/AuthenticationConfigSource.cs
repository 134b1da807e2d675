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
    private ITimer? _timer;
    private readonly Lock _publishLock = new();
    private int _refreshing;
    private volatile AuthenticationConfig _current;
    private readonly ReloadableFiles<X509Certificate2Collection>? _clientCaFile;
    private readonly ReloadableFiles<X509Certificate2Collection>? _requestHeaderCaFile;
    private ConfigMapAuthentication.Values? _fromConfigMap;

    private AuthenticationConfigSource(ServerOptions options, KubeReviewClient? client, TimeProvider time, ILogger logger)
    {
        _options = options;
        _client = client;
        _time = time;
        _logger = logger;
        _lookup = !options.AuthenticationSkipLookup && client is not null
            && (options.ClientCaFile.Length == 0 || options.RequestheaderClientCaFile.Length == 0);
        _clientCaFile = options.ClientCaFile.Length > 0 ? CertificateBundle.Reloadable("client CA", options.ClientCaFile) : null;
        _requestHeaderCaFile = options.RequestheaderClientCaFile.Length > 0
            ? CertificateBundle.Reloadable("request-header client CA", options.RequestheaderClientCaFile)
            : null;
        _current = Build();
    }

    public AuthenticationConfig Current => _current;

    /// <summary>
    /// Loads the configuration once (failing start-up as upstream when the ConfigMap cannot be read and
    /// failures are not tolerated), then keeps refreshing it.
    /// </summary>
    public static AuthenticationConfigSource Start(ServerOptions options, KubeReviewClient? client, TimeProvider time, TimeSpan fileCheckInterval, ILogger logger)
    {
        var source = new AuthenticationConfigSource(options, client, time, logger);
        source.WatchFile(source._clientCaFile, fileCheckInterval);
        source.WatchFile(source._requestHeaderCaFile, fileCheckInterval);
        if (source._lookup)
            source.LookupAtStart();
        else if (client is null && options.ClientCaFile.Length == 0)
            logger.NoAuthenticationKubeconfig();
        source._timer = time.CreateTimer(static s => _ = ((AuthenticationConfigSource)s!).RefreshAsync(), source, RefreshInterval, RefreshInterval);
        return source;
    }

    public async Task RefreshAsync()
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1)
            return;
        try
        {
            if (!_lookup)
                return;
            var fetched = await ConfigMapAuthentication.FetchAsync(_client!, CancellationToken.None).ConfigureAwait(false);
            // Unchanged content keeps the published configuration, and with it every connection's cached verdict.
            if (fetched?.Content == _fromConfigMap?.Content)
                return;
            _fromConfigMap = fetched;
            Publish();
            _logger.AuthenticationConfigMapChanged();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidDataException
            or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // Keep serving with the last good configuration.
            _logger.AuthenticationRefreshFailed(ex.GetType().Name, ex.Message);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _clientCaFile?.Dispose();
        _requestHeaderCaFile?.Dispose();
    }

    private void WatchFile(ReloadableFiles<X509Certificate2Collection>? file, TimeSpan interval)
    {
        if (file is null)
            return;
        file.Changed += _ => Publish();
        file.Start(_time, interval, _logger);
    }

    // The ConfigMap refresh and the file checks run on different timers: one lock keeps a slower
    // writer from publishing a configuration older than the one already out.
    private void Publish()
    {
        lock (_publishLock)
            _current = Build();
    }

    private void LookupAtStart()
    {
        try
        {
            _fromConfigMap = ConfigMapAuthentication.FetchAsync(_client!, CancellationToken.None).GetAwaiter().GetResult();
            if (_fromConfigMap is null)
                _logger.AuthenticationConfigMapMissing();
            _current = Build();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException
            or System.Security.Cryptography.CryptographicException)
        {
            if (!_options.AuthenticationTolerateLookupFailure)
                throw new InvalidDataException("unable to load configmap based request-header-client-ca-file: " + ex.Message, ex);
            _logger.AuthenticationLookupTolerated(ex.Message);
        }
    }

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
