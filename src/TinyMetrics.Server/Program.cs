using TinyMetrics.Hosting;

return await ServerHost.RunAsync(args);
