using TinyMetrics.Api;
using TinyMetrics.Configuration;
using TinyMetrics.Discovery;
using TinyMetrics.Kube;
using TinyMetrics.Scraping;
using TinyMetrics.Security;
using TinyMetrics.Serving;
using TinyMetrics.Storage;
using TinyMetrics.Telemetry;

namespace TinyMetrics.Hosting;

/// <summary>Reads the flags, builds the pipeline and the HTTPS server, and runs both until SIGTERM.</summary>
internal static class ServerHost
{
    public static async Task<int> RunAsync(string[] args)
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

        // The host must not watch its content root for config changes: from / that costs seconds and MiBs.
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        LoggingSetup.Configure(builder.Logging, options.Verbosity, options.LoggingFormat == "json");

        var time = TimeProvider.System;
        var certificate = ServingCertificate.Load(options.TlsCertFile, options.TlsPrivateKeyFile, options.CertDir, time, out var generated);
        KestrelSetup.Configure(builder.WebHost, options, certificate);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TinyMetrics");
        logger.Starting(BuildInfo.Version, options.MetricResolution.TotalSeconds);
        foreach (var warning in options.Warnings)
            logger.FlagWarning(warning);
        if (generated)
            logger.GeneratedCertificate(options.CertDir);

        var pipeline = Pipeline.Create(options, nodeSelector, time, app.Services.GetRequiredService<ILoggerFactory>());
        var frontProxy = FrontProxy(options, logger);
        var auth = app.Services.GetRequiredService<ILogger<FrontProxyAuthentication>>();
        app.Use(next => new FrontProxyAuthentication(next, frontProxy, time, auth).InvokeAsync);
        var health = new HealthEndpoints(pipeline.Health);
        var router = pipeline.Router;
        app.Run(context => HealthEndpoints.IsHealthPath(context.Request.Path) ? health.HandleAsync(context) : router.HandleAsync(context));

        app.Lifetime.ApplicationStopping.Register(pipeline.Health.ShutdownStarted);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        var background = pipeline.StartAsync(stopping.Token);
        logger.Serving(options.BindAddress.ToString(), options.SecurePort);
        await app.RunAsync();
        await stopping.CancelAsync();
        await background;
        pipeline.Dispose();
        return 0;
    }

    private static FrontProxySettings FrontProxy(ServerOptions options, ILogger logger)
    {
        var ca = string.IsNullOrEmpty(options.RequestheaderClientCaFile) ? null : CertificateBundle.Load(options.RequestheaderClientCaFile);
        if (ca is null)
            logger.NoRequestHeaderCa();
        return new FrontProxySettings(ca, [.. options.RequestheaderAllowedNames], [.. options.RequestheaderUsernameHeaders],
            [.. options.RequestheaderGroupHeaders], [.. options.RequestheaderExtraHeadersPrefix]);
    }
}
