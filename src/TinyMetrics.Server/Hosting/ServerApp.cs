using TinyMetrics.Configuration;
using TinyMetrics.Security;
using TinyMetrics.Selectors;
using TinyMetrics.Serving;
using TinyMetrics.Tls;

namespace TinyMetrics.Hosting;

/// <summary>
/// The HTTPS server and the pipeline behind it, built from options. Tests build it in-process
/// the same way the binary does.
/// </summary>
internal sealed class ServerApp : IAsyncDisposable
{
    private readonly Pipeline _pipeline;
    private readonly ServingTls _tls;
    private readonly CancellationTokenSource _stopping = new();
    private Task _background = Task.CompletedTask;

    private readonly ILogger _logger;
    private readonly string _endpoint;

    private ServerApp(WebApplication app, Pipeline pipeline, ServingTls tls, ILogger logger, string endpoint)
    {
        App = app;
        _tls = tls;
        _pipeline = pipeline;
        _logger = logger;
        _endpoint = endpoint;
    }

    public WebApplication App { get; }

    public static ServerApp Create(ServerOptions options, LabelSelector nodeSelector, TimeProvider time, ServingTuning? tuning = null)
    {
        // The host must not watch its content root for config changes: from / that costs seconds and MiBs.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        LoggingSetup.Configure(builder.Logging, options.Verbosity, options.LoggingFormat == "json");
        tuning ??= ServingTuning.Default;
        var tls = ServingTls.Create(options, tuning, time, out var generated);
        KestrelSetup.Configure(builder.WebHost, options, tls, tuning);
        builder.Services.AddSingleton(time);
        var app = builder.Build();

        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger("TinyMetrics");
        logger.Starting(BuildInfo.Version, options.MetricResolution.TotalSeconds);
        foreach (var warning in options.Warnings)
            logger.FlagWarning(warning);
        if (generated)
            logger.GeneratedCertificate(options.CertDir);
        if (options.KubeletInsecureTls)
            logger.InsecureKubeletTls();
        tls.Start(time, loggers.CreateLogger("TinyMetrics.Tls"));

        var pipeline = Pipeline.Create(options, nodeSelector, time, tuning.CertificateCheckInterval, loggers);
        var security = SecuritySetup.Create(options, time, tuning.CertificateCheckInterval, loggers);
        app.Lifetime.ApplicationStopped.Register(security.Dispose);
        tls.NameClientCas(() => security.Config.Current.NamedInHandshake);
        app.Use(security.Middleware);
        app.Run(pipeline.Router.HandleAsync);
        app.Lifetime.ApplicationStopping.Register(pipeline.Health.ShutdownStarted);
        return new ServerApp(app, pipeline, tls, logger, $"{options.BindAddress}:{options.SecurePort}");
    }

    /// <summary>Starts listening and the background loops; returns once the port is open.</summary>
    public async Task StartAsync()
    {
        _background = _pipeline.StartAsync(_stopping.Token);
        await App.StartAsync();
        _logger.Serving(_endpoint);
    }

    public async Task RunAsync()
    {
        await StartAsync();
        await App.WaitForShutdownAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await App.StopAsync();
        await _background;
        await App.DisposeAsync();
        _pipeline.Dispose();
        _tls.Dispose();
        _stopping.Dispose();
    }
}
