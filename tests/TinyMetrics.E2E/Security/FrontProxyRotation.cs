using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Security;

/// <summary>
/// The simulator rotates its front-proxy CA (add the new CA to the bundle, switch the proxy's client
/// certificate, drop the old CA) while kubectl keeps asking for node metrics through the proxy; tinymetrics
/// must follow each step from wherever it reads the request-header trust, which <paramref name="reloaded"/>
/// names by its log line. Before the first step and after each one, <see cref="MinimumPerPhase"/> requests must
/// serve every node (a wait that fails the test when they do not); every failed request is kept.
/// </summary>
internal sealed class FrontProxyRotation(LocalCluster cluster, string reloaded, int nodes)
{
    public const int MinimumPerPhase = 3;

    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(30);

    // Three kubectl runs take a second or two; a slow machine gets a minute.
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    public int Requests { get; private set; }

    public int Successes { get; private set; }

    /// <summary>Requests that served every node in each phase: before, after add, after switch, after drop.</summary>
    public List<int> SuccessesPerPhase { get; } = [];

    public List<string> Failures { get; private set; } = [];

    public HttpStatusCode OldCertificateStatus { get; private set; }

    public HttpStatusCode NewCertificateStatus { get; private set; }

    public async Task RunAsync()
    {
        var oldClient = await ReadClientPairAsync();
        var reloads = cluster.Server.CountLines(Matches);
        var loop = new KubectlLoop(cluster.Kubectl(), nodes);
        try
        {
            SuccessesPerPhase.Add(await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout));
            await cluster.RotateAsync("front-proxy", "add");
            await cluster.Server.WaitForLineCountAsync(Matches, reloads + 1, ReloadTimeout);
            SuccessesPerPhase.Add(await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout));
            await cluster.RotateAsync("front-proxy", "switch");
            SuccessesPerPhase.Add(await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout));
            await cluster.RotateAsync("front-proxy", "drop");
            await cluster.Server.WaitForLineCountAsync(Matches, reloads + 2, ReloadTimeout);
            SuccessesPerPhase.Add(await loop.WaitForSuccessesAsync(MinimumPerPhase, PhaseTimeout));
        }
        finally
        {
            // Stopped before counting, so the request in flight is counted too.
            await loop.DisposeAsync();
        }
        Failures = [.. loop.Failures];
        Requests = loop.Requests;
        Successes = loop.Successes;
        OldCertificateStatus = await DirectStatusAsync(oldClient);
        NewCertificateStatus = await DirectStatusAsync(await ReadClientPairAsync());
    }

    private bool Matches(string line) => line.Contains(reloaded, StringComparison.Ordinal);

    private async Task<(string Certificate, string Key)> ReadClientPairAsync() =>
        (await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.crt")),
         await File.ReadAllTextAsync(Path.Combine(cluster.Directory, "front-proxy-client.key")));

    // Straight to tinymetrics as the aggregation proxy would call it: the client certificate vouches for X-Remote-User.
    private async Task<HttpStatusCode> DirectStatusAsync((string Certificate, string Key) pair)
    {
        using var certificate = X509Certificate2.CreateFromPem(pair.Certificate, pair.Key);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
            },
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{cluster.ServerPort}/apis/metrics.k8s.io/v1beta1/nodes");
        request.Headers.Add("X-Remote-User", "admin");
        request.Headers.Add("X-Remote-Group", "system:masters");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
