using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Observability;

/// <summary>One scrape job: a single https target, the CA its serving certificate is verified with, and an optional bearer token.</summary>
public sealed record ScrapeJob(string Name, string Target, string CaFile, string? Token);

/// <summary>
/// A real Prometheus (the Debian package's binary) a test owns: a generated prometheus.yml scraping every job each
/// second, its TSDB in the test's temp folder, its web API on a loopback address of the test's range, every wait
/// bounded and the process killed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string SkipReason = "SKIPPED: prometheus is not installed, so no real Prometheus scraped /metrics "
        + "(`make deps-prometheus` installs the Debian package prometheus, as root)";

    // The certificates carry localhost and 127.0.0.1; the servers listen on other loopback addresses.
    private const string ServerName = "localhost";

    private readonly BoundedProcess _process;
    private readonly HttpClient _client;

    private PrometheusServer(BoundedProcess process, Uri baseUri)
    {
        _process = process;
        _client = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
    }

    public BoundedProcess Process => _process;

    public static string? Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "prometheus");
            if (File.Exists(path))
                return path;
        }
        return null;
    }

    public static async Task<PrometheusServer> StartAsync(string binary, string directory, string host, IReadOnlyList<ScrapeJob> jobs)
    {
        System.IO.Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, Config(directory, jobs));
        var port = FreePort.Next();
        var process = BoundedProcess.Start(binary, [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "tsdb")}",
            $"--web.listen-address={host}:{port}", "--log.level=info"]);
        var server = new PrometheusServer(process, new Uri($"http://{host}:{port}"));
        try
        {
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    // Bearer tokens go in files of their own (credentials_file), so the configuration holds none.
    private static string Config(string directory, IReadOnlyList<ScrapeJob> jobs)
    {
        var yaml = new StringBuilder();
        yaml.Append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
        foreach (var job in jobs)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - job_name: \"{job.Name}\"\n    scheme: https\n    metrics_path: /metrics\n");
            if (job.Token is not null)
            {
                var tokenFile = Path.Combine(directory, job.Name + ".token");
                File.WriteAllText(tokenFile, job.Token);
                yaml.Append(CultureInfo.InvariantCulture, $"    authorization:\n      type: Bearer\n      credentials_file: \"{tokenFile}\"\n");
            }
            yaml.Append(CultureInfo.InvariantCulture, $"    tls_config:\n      ca_file: \"{job.CaFile}\"\n      server_name: {ServerName}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    static_configs:\n      - targets: [\"{job.Target}\"]\n");
        }
        return yaml.ToString();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("prometheus exited:\n" + _process.Tail());
            try
            {
                using var response = await _client.GetAsync("/-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("prometheus was not ready in time:\n" + _process.Tail());
    }

    /// <summary>GET /api/v1/targets: each active target's job, health, last error and scrape URL.</summary>
    public async Task<IReadOnlyList<(string Job, string Health, string LastError, string ScrapeUrl)>> TargetsAsync()
    {
        using var document = await ApiAsync("/api/v1/targets?state=active");
        var targets = new List<(string, string, string, string)>();
        foreach (var target in document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray())
        {
            targets.Add((target.GetProperty("labels").GetProperty("job").GetString()!, target.GetProperty("health").GetString()!,
                target.GetProperty("lastError").GetString()!, target.GetProperty("scrapeUrl").GetString()!));
        }
        return targets;
    }

    /// <summary>GET /api/v1/query (an instant vector): each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var document = await ApiAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        var series = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var sample in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in sample.GetProperty("metric").EnumerateObject())
                labels[label.Name] = label.Value.GetString()!;
            var value = double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            series.Add((labels, value));
        }
        return series;
    }

    private async Task<JsonDocument> ApiAsync(string pathAndQuery)
    {
        var body = await _client.GetStringAsync(pathAndQuery);
        var document = JsonDocument.Parse(body);
        if (document.RootElement.GetProperty("status").GetString() != "success")
        {
            document.Dispose();
            throw new InvalidDataException($"prometheus {pathAndQuery}: {body}");
        }
        return document;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _process.DisposeAsync();
    }
}
