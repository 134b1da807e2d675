namespace TinyMetrics.Simulator.Hosting;

internal static class HostBuilders
{
    /// <summary>
    /// A slim Kestrel host that neither watches files (the content root is the binary's folder, reload off) nor
    /// handles signals: <see cref="SimulatorHost"/> owns the lifetime of all its hosts.
    /// </summary>
    public static WebApplicationBuilder CreateSlim()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, ExternalLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        return builder;
    }

    private sealed class ExternalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
