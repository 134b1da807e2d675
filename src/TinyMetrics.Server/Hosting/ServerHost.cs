using TinyMetrics.Configuration;
using TinyMetrics.Security;
using TinyMetrics.Selectors;

namespace TinyMetrics.Hosting;

/// <summary>Reads the flags, then runs the server until SIGTERM. Exit codes: 0 done, 1 bad flags or start failure.</summary>
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
        await using (server)
            await server.RunAsync();
        return 0;
    }
}
