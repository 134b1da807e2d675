using TinyMetrics.Configuration;
using TinyMetrics.Cycle;
using TinyMetrics.Discovery;
using TinyMetrics.Hosting;
using TinyMetrics.Kube;
using TinyMetrics.Scraping;
using TinyMetrics.Security;
using TinyMetrics.Selectors;
using TinyMetrics.Serving;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;
using TinyMetrics.Tls;
using ZLogger;

namespace TinyMetrics;

/// <summary>Reads the flags, then runs the server until SIGTERM. Exit codes: 0 done, 1 bad flags or start failure.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var parsed = FlagParser.Parse(args);
        switch (parsed.Kind)
        {
            case FlagParseKind.Help:
            case FlagParseKind.Version:
                Console.Out.WriteLine(parsed.Text);
                return 0;
            case FlagParseKind.Error:
                Console.Error.WriteLine("Error: " + parsed.Text);
                return 1;
        }
        var options = parsed.Options!;
        if (!LabelSelector.TryParse(options.NodeSelector, out var nodeSelector, out var selectorError))
        {
            Console.Error.WriteLine("Error: invalid --node-selector: " + selectorError);
            return 1;
        }

        ProcessHardening.DisableCoreDumps();
        ServerApp server;
        try
        {
            server = ServerApp.Create(options, nodeSelector, TimeProvider.System);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException
            or System.Security.Cryptography.CryptographicException or k8s.Exceptions.KubeConfigException)
        {
            // Start-up errors are configuration errors: one line, no stack trace.
            Console.Error.WriteLine("Error: " + ex.Message);
            return 1;
        }
        try
        {
            await using (server)
                await server.RunAsync();
        }
        catch (IOException ex) when (KestrelListener.DescribeBindFailure(ex, options) is { } failure)
        {
            // A port another process holds is a configuration error too, not a crash with a stack trace.
            Console.Error.WriteLine("Error: " + failure);
            return 1;
        }
        return 0;
    }
}

/// <summary>
/// The composition root: every long-lived part built once from the options and wired together —
/// discovery → scrape cycle → snapshot cell → HTTPS serving behind authentication and authorization.
/// Tests build it in-process the same way the binary does.
/// </summary>
internal sealed class ServerApp : IAsyncDisposable
{
    private readonly List<IDisposable> _owned;
    private readonly Func<CancellationToken, Task> _background;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly bool _serving;
    private readonly GracefulShutdown _shutdown;
    private Task _running = Task.CompletedTask;

    private ServerApp(WebApplication app, List<IDisposable> owned, Func<CancellationToken, Task> background, ILogger logger, bool serving,
        GracefulShutdown shutdown)
    {
        _shutdown = shutdown;
        App = app;
        _owned = owned;
        _background = background;
        _logger = logger;
        _serving = serving;
    }

    public WebApplication App { get; }

    /// <summary>The bound address in Go's form (<c>[::]:10250</c>), known once <see cref="StartAsync"/> has returned; "" when not serving.</summary>
    public string Endpoint { get; private set; } = "";

    public static ServerApp Create(ServerOptions options, LabelSelector nodeSelector, TimeProvider time, ServingTuning? tuning = null)
    {
        // The host must not watch its content root for config changes: from / that costs seconds and MiBs.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        Logging.Configure(builder.Logging, options.Verbosity, options.LoggingFormat == "json");
        tuning ??= ServingTuning.Default;
        var tls = ServingTls.Create(options, tuning, time, out var generated);
        KestrelListener.Configure(builder.WebHost, options, tls, tuning);
        if (options.SecurePort == 0)
            builder.Services.AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer, NoListenerServer>();
        builder.Services.AddSingleton(time);
        // Graceful termination instead of ConsoleLifetime's stop-at-first-signal; the drain after it is bounded
        // by --request-timeout, as upstream bounds its HTTP server's shutdown.
        var shutdown = new GracefulShutdown(options.ShutdownDelayDuration, time);
        builder.Services.AddSingleton<IHostLifetime>(shutdown);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.RequestTimeout > TimeSpan.Zero ? options.RequestTimeout : TimeSpan.FromMinutes(1));
        var app = builder.Build();

        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("TinyMetrics");
        LogStart(logger, options, generated);
        tls.Start(time, loggers.CreateLogger("TinyMetrics.Tls"));
        List<IDisposable> owned = [tls, shutdown];

        // Discover → scrape → store → render → publish (Core's ScrapeCycle), read by the endpoints through one cell.
        var connection = KubeConnection.Load(string.IsNullOrEmpty(options.Kubeconfig) ? null : options.Kubeconfig, time);
        var selfMetrics = new SelfMetrics(options.MetricResolution, time);
        var api = new KubeApiClient(connection, selfMetrics.RestClient);
        var discovery = new DiscoveryService(api, new DiscoveryOptions(), time, loggers.CreateLogger("Discovery"));
        var kubeletOptions = KubeletClientOptions.From(options);
        var credentials = KubeletCredentials.From(connection, kubeletOptions);
        credentials.StartReloading(time, tuning.CertificateCheckInterval, loggers.CreateLogger("Kubelet"));
        var kubelets = new KubeletClient(credentials, kubeletOptions);
        owned.Add(kubelets);
        owned.Add(api);
        var scraper = new Scraper(kubelets, ScrapeOptions.From(options), time, loggers.CreateLogger("Scraper"));
        var replicas = ReplicaSetup.Create(options, connection, api, scraper, time, loggers);
        owned.Add(replicas);
        selfMetrics.Replicas = replicas.Metrics;
        var cell = new SnapshotCell();
        var health = new HealthState(cell, discovery, time, options.MetricResolution, loggers.CreateLogger("Health"));
        var cycle = new ScrapeCycle(discovery, replicas.Scraper, new MetricsStore(options.MetricResolution, loggers.CreateLogger("Storage")), cell, health,
            nodeSelector, options.MetricResolution, time, loggers.CreateLogger("ScrapeCycle"), selfMetrics.RecordCycle);

        var security = SecuritySetup.Create(options, time, tuning.CertificateCheckInterval, loggers, selfMetrics.RestClient);
        selfMetrics.InFlight = security.InFlight;
        app.Lifetime.ApplicationStopped.Register(security.Dispose);
        tls.NameClientCas(() => security.Config.Current.NamedInHandshake);
        // Outermost, so a request's time and bytes include every filter, as upstream's handler chain measures them.
        app.Use(new ApiRequestRecorder(selfMetrics.Requests).InvokeAsync);
        app.Use(new Http.RequestDeadline(options.RequestTimeout, time).InvokeAsync);
        app.Use(Http.Http2RequestRules.InvokeAsync);
        app.Use(security.Middleware);
        var router = new ApiRouter(new MetricsEndpoints(cell, discovery, nodeSelector, selfMetrics, time), new HealthEndpoints(health), selfMetrics,
            new OpenApiEndpoints(Rendering.OpenApiDocuments.Instance, time), replicas.Share);
        app.Run(router.HandleAsync);
        app.Lifetime.ApplicationStopping.Register(health.ShutdownStarted);
        shutdown.Bind(app.Lifetime, health, logger);

        return new ServerApp(app, owned, token => Task.WhenAll(discovery.RunAsync(token), replicas.RunAsync(token), cycle.RunAsync(token)),
            logger, options.SecurePort != 0, shutdown);
    }

    /// <summary>Starts listening and the background loops; returns once the port is open.</summary>
    public async Task StartAsync()
    {
        _running = _background(_stopping.Token);
        await App.StartAsync();
        if (!_serving)
            return;
        Endpoint = KestrelListener.Describe(App.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>());
        _logger.Serving(Endpoint);
    }

    /// <summary>The binary's run: serves until a termination signal, then the graceful sequence, then drain and exit.</summary>
    public async Task RunAsync()
    {
        _shutdown.ListenForSignals();
        await StartAsync();
        await App.WaitForShutdownAsync();
        // The scrape loop stops only now: during the delay it keeps the served numbers fresh.
        await _stopping.CancelAsync();
        await _running;
        _shutdown.Exiting();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await App.StopAsync();
        await _running;
        await App.DisposeAsync();
        foreach (var part in _owned)
            part.Dispose();
        _stopping.Dispose();
    }

    private static void LogStart(ILogger logger, ServerOptions options, bool generatedCertificate)
    {
        logger.Starting(BuildInfo.Version, options.MetricResolution.TotalSeconds);
        foreach (var warning in options.Warnings)
            logger.FlagWarning(warning);
        if (generatedCertificate)
            logger.GeneratedCertificate(Path.Combine(options.CertDir, "apiserver.crt"), Path.Combine(options.CertDir, "apiserver.key"));
        if (options.KubeletInsecureTls)
            logger.InsecureKubeletTls();
    }
}

internal static partial class ProgramLog
{
    [ZLoggerMessage(5001, LogLevel.Information, "Starting TinyMetrics {version} {resolutionSeconds}")]
    public static partial void Starting(this ILogger logger, string version, double resolutionSeconds);

    [ZLoggerMessage(5002, LogLevel.Warning, "{warning}")]
    public static partial void FlagWarning(this ILogger logger, string warning);

    [ZLoggerMessage(5003, LogLevel.Information, "Generated self-signed cert ({certFile}, {keyFile})")]
    public static partial void GeneratedCertificate(this ILogger logger, string certFile, string keyFile);

    [ZLoggerMessage(5004, LogLevel.Warning, "Kubelet serving certificates are not verified (--kubelet-insecure-tls)")]
    public static partial void InsecureKubeletTls(this ILogger logger);

    [ZLoggerMessage(5005, LogLevel.Information, "Serving securely on {endpoint}")]
    public static partial void Serving(this ILogger logger, string? endpoint);
}
