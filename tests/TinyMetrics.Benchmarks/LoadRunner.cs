using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--load</c> (<c>make bench-load</c>): the published AOT binary against the simulator (both separate processes on
/// 127.99.128.0/17), then many concurrent clients for a fixed time during scrape cycles — HPA-shaped (the pods of one
/// namespace with <c>labelSelector=app=X</c>), and kubectl-shaped (all nodes, all pods) — half over HTTP/1.1
/// keep-alive and half over HTTP/2. Prints, per run, client-side p50/p99/max latency of each shape and the count of
/// 200 and 429 answers, once with --max-requests-inflight not set (upstream's 400) and once set; then the medians.
/// </summary>
internal static class LoadRunner
{
    private const string Token = "tinymetrics-sa-token";
    private static readonly string[] Shapes = ["hpa", "nodes", "pods"];

    public static int Run(string[] args)
    {
        var bin = Option(args, "--bin") ?? "artifacts/bin/tinymetrics";
        var simulator = Option(args, "--simulator") ?? "artifacts/simulator/tinymetrics-simulator.dll";
        var nodes = int.Parse(Option(args, "--nodes") ?? "50", CultureInfo.InvariantCulture);
        var clients = int.Parse(Option(args, "--clients") ?? "1000", CultureInfo.InvariantCulture);
        var seconds = int.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture);
        var runs = int.Parse(Option(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        var limit = Option(args, "--max-requests-inflight") ?? "100";
        if (!File.Exists(bin) || !File.Exists(simulator))
        {
            Console.Error.WriteLine($"bench-load needs the AOT binary ({bin}) and the simulator ({simulator}): make publish simulator");
            return 1;
        }
        var dir = Directory.CreateTempSubdirectory("tinymetrics-load-").FullName;
        var port = FreePort();
        using var sim = Start("dotnet", [simulator, $"--nodes={nodes}", "--pods-per-node=30", $"--dir={dir}",
            $"--metrics-server=https://127.99.200.1:{port}", $"--ready-file={Path.Combine(dir, "simulator.ready")}", "--first-address=127.99.128.1"]);
        try
        {
            WaitFor(() => File.Exists(Path.Combine(dir, "simulator.ready")), TimeSpan.FromSeconds(120), "the simulator");
            var deployments = Deployments(Path.Combine(dir, "expected.json"));
            var results = new Dictionary<string, List<RunResult>> { ["not set"] = [], ["=" + limit] = [] };
            foreach (var (name, runResults) in results)
            {
                string[] extra = name == "not set" ? [] : [$"--max-requests-inflight={limit}"];
                for (var run = 0; run < runs; run++)
                {
                    var result = RunOnce(bin, dir, FreePort(), extra, deployments, nodes, clients, TimeSpan.FromSeconds(seconds));
                    Console.WriteLine($"--max-requests-inflight {name}, run {run + 1}: load average {LoadAverage()}");
                    result.Print();
                    runResults.Add(result);
                }
            }
            Console.WriteLine($"medians of {runs} runs, {nodes} nodes x 30 pods, {clients} clients, {seconds} s each:");
            foreach (var (name, runResults) in results)
                RunResult.PrintMedians("--max-requests-inflight " + name, runResults);
            return 0;
        }
        finally
        {
            Stop(sim);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static RunResult RunOnce(string bin, string dir, int port, string[] extra, (string Ns, string App)[] deployments, int nodes,
        int clients, TimeSpan duration)
    {
        // The simulator's proxy is not used: clients talk to tinymetrics directly, as kube-apiserver's aggregator would.
        using var server = Start(bin, [$"--kubeconfig={Path.Combine(dir, "tinymetrics.kubeconfig")}", "--bind-address=127.99.200.1",
            $"--secure-port={port}", $"--cert-dir={Path.Combine(dir, "certs")}", "--metric-resolution=15s", "--kubelet-request-timeout=10s",
            "--kubelet-preferred-address-types=InternalIP", "--v=1", .. extra]);
        var baseUri = new Uri($"https://127.99.200.1:{port}");
        var pools = new[] { Client(baseUri, http2: false), Client(baseUri, http2: true) };
        try
        {
            WaitFor(() => ServedNodes(pools[0]) >= nodes, TimeSpan.FromSeconds(120), "tinymetrics to serve every node");
            var result = new RunResult();
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var tasks = new Task[clients];
            for (var i = 0; i < clients; i++)
            {
                var index = i;
                tasks[i] = Task.Run(async () =>
                {
                    // 70 % HPA-shaped, 15 % each kubectl shape; even clients over HTTP/1.1, odd over HTTP/2.
                    var shape = (index % 20) switch { < 14 => 0, < 17 => 1, _ => 2 };
                    var (ns, app) = deployments[index % deployments.Length];
                    var path = shape switch
                    {
                        0 => $"/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods?labelSelector=app%3D{app}",
                        1 => "/apis/metrics.k8s.io/v1beta1/nodes",
                        _ => "/apis/metrics.k8s.io/v1beta1/pods",
                    };
                    var client = pools[index % 2];
                    while (Stopwatch.GetTimestamp() < until)
                        await OneAsync(client, path, shape, result);
                });
            }
            Task.WaitAll(tasks);
            return result;
        }
        finally
        {
            foreach (var pool in pools)
                pool.Dispose();
            Stop(server);
        }
    }

    private static async Task OneAsync(HttpClient client, string path, int shape, RunResult result)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
            result.Record(shape, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            // Client-go backs off on 429 with the server's Retry-After (1 s).
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                await Task.Delay(1000);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            result.Record(shape, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static HttpClient Client(Uri baseUri, bool http2)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            EnableMultipleHttp2Connections = true,
            MaxConnectionsPerServer = int.MaxValue,
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    private static int ServedNodes(HttpClient client)
    {
        try
        {
            var text = client.GetStringAsync("/apis/metrics.k8s.io/v1beta1/nodes").GetAwaiter().GetResult();
            using var json = JsonDocument.Parse(text);
            return json.RootElement.GetProperty("items").GetArrayLength();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return 0;
        }
    }

    private static (string Ns, string App)[] Deployments(string expectedJson)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(expectedJson));
        var seen = new HashSet<(string, string)>();
        foreach (var pod in json.RootElement.GetProperty("pods").EnumerateArray())
        {
            if (pod.TryGetProperty("labels", out var labels) && labels.TryGetProperty("app", out var app))
                seen.Add((pod.GetProperty("namespace").GetString()!, app.GetString()!));
        }
        return [.. seen];
    }

    private static Process Start(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + file);
        // Drained so a chatty child never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    private static void WaitFor(Func<bool> condition, TimeSpan limit, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException("waited too long for " + what);
            Thread.Sleep(500);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Parse("127.99.200.1"), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "?";

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>Latencies and answer codes of one run, per shape.</summary>
    private sealed class RunResult
    {
        private readonly Lock _gate = new();
        private readonly List<double>[] _latencies = [[], [], []];
        private readonly Dictionary<int, int>[] _codes = [[], [], []];

        public void Record(int shape, int code, double ms)
        {
            lock (_gate)
            {
                _latencies[shape].Add(ms);
                _codes[shape][code] = _codes[shape].GetValueOrDefault(code) + 1;
            }
        }

        public (double P50, double P99, double Max, int Ok, int Rejected, int Other) Figures(int shape)
        {
            var sorted = _latencies[shape].ToArray();
            Array.Sort(sorted);
            var codes = _codes[shape];
            var ok = codes.GetValueOrDefault(200);
            var rejected = codes.GetValueOrDefault(429);
            var other = 0;
            foreach (var (_, count) in codes)
                other += count;
            return (Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length == 0 ? 0 : sorted[^1], ok, rejected, other - ok - rejected);
        }

        public void Print()
        {
            for (var s = 0; s < Shapes.Length; s++)
            {
                var f = Figures(s);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Shapes[s],-5} p50 {f.P50,8:0.0} ms  p99 {f.P99,8:0.0} ms  max {f.Max,8:0.0} ms  200: {f.Ok,7}  429: {f.Rejected,7}  other: {f.Other}"));
            }
        }

        public static void PrintMedians(string name, List<RunResult> runs)
        {
            Console.WriteLine(name);
            for (var s = 0; s < Shapes.Length; s++)
            {
                var figures = runs.ConvertAll(r => r.Figures(s));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Shapes[s],-5} p50 {Median(figures.ConvertAll(f => f.P50)),8:0.0} ms  p99 {Median(figures.ConvertAll(f => f.P99)),8:0.0} ms  " +
                    $"max {Median(figures.ConvertAll(f => f.Max)),8:0.0} ms  200: {Median(figures.ConvertAll(f => (double)f.Ok)),7:0}  " +
                    $"429: {Median(figures.ConvertAll(f => (double)f.Rejected)),7:0}  other: {Median(figures.ConvertAll(f => (double)f.Other)):0}"));
            }
        }

        private static double Median(List<double> values)
        {
            values.Sort();
            return values.Count == 0 ? 0 : values[values.Count / 2];
        }

        private static double Percentile(double[] sorted, double q) =>
            sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    }
}
