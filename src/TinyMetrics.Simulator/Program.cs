using System.Runtime.InteropServices;
using TinyMetrics.Simulator;

SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine("tinymetrics-simulator: " + e.Message);
    Console.Error.WriteLine("usage: tinymetrics-simulator --nodes=N --pods-per-node=N --dir=DIR [--api-port=0] "
        + "[--metrics-server=https://127.0.0.1:PORT] [--kubelet-port=10250] [--first-address=127.1.0.1] "
        + "[--shape=realistic|simple] [--containers-per-pod=1] [--sidecar-every=4] [--seed=1] [--ready-file=PATH] [--kubelets=FROM:COUNT] [--kubelet-faults=MODE:FROM:COUNT,...]");
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

SimulatorHost host;
try
{
    host = await SimulatorHost.StartAsync(options, stop.Token);
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or ArgumentException)
{
    // Typically an address already in use (another simulator on the same --first-address/--kubelet-port).
    Console.Error.WriteLine("tinymetrics-simulator: cannot start: " + e.Message);
    return 1;
}
await using var running = host;
Console.Out.WriteLine(host.ReadyLine);
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM or Ctrl-C: disposing the host below closes every listener.
}
return 0;
