namespace TinyMetrics.Hosting;

internal static class ServerHost
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length == 0 ? 0 : 2);
}
