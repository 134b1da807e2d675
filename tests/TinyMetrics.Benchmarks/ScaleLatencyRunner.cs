using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace TinyMetrics.Benchmarks;

/// <summary>
/// <c>--scale-latency --url URL --dir SIMDIR [--hpa N] [--full N]</c> (<c>make bench-scale</c>): client-side latency of
/// a running server, one request at a time over one kept-alive HTTP/1.1 connection, as the aggregator's proxy sends
/// them: HPA-shaped (one namespace, <c>labelSelector=app=X</c>, the deployments of the simulator's expected.json in
/// turn), then the full pod and node lists. Authenticates as the front proxy (the simulator's front-proxy client
/// certificate and <c>X-Remote-User</c>). Prints one <c>key=value</c> line for the script.
/// </summary>
internal static class ScaleLatencyRunner
{
    public static int Run(string[] args)
    {
        var url = Option(args, "--url") ?? throw new ArgumentException("--scale-latency needs --url");
        var dir = Option(args, "--dir") ?? throw new ArgumentException("--scale-latency needs --dir (the simulator's directory)");
        var hpaCalls = int.Parse(Option(args, "--hpa") ?? "2000", CultureInfo.InvariantCulture);
        var fullCalls = int.Parse(Option(args, "--full") ?? "50", CultureInfo.InvariantCulture);
        var deployments = Deployments(Path.Combine(dir, "expected.json"));
        if (deployments.Length == 0)
        {
            Console.Error.WriteLine("no pod with an app label in expected.json");
            return 1;
        }
        using var client = Client(new Uri(url), dir);
        var failures = 0;
        // Warm-up: the connection's handshake and the server's first answer of each shape are not measured.
        Time(client, "/apis/metrics.k8s.io/v1beta1/nodes", ref failures);
        Time(client, HpaPath(deployments[0]), ref failures);
        failures = 0;
        var hpa = new double[hpaCalls];
        for (var i = 0; i < hpaCalls; i++)
            hpa[i] = Time(client, HpaPath(deployments[i % deployments.Length]), ref failures);
        var pods = new double[fullCalls];
        var nodes = new double[fullCalls];
        long podBytes = 0, nodeBytes = 0;
        for (var i = 0; i < fullCalls; i++)
        {
            pods[i] = Time(client, "/apis/metrics.k8s.io/v1beta1/pods", ref failures, ref podBytes);
            nodes[i] = Time(client, "/apis/metrics.k8s.io/v1beta1/nodes", ref failures, ref nodeBytes);
        }
        Array.Sort(hpa);
        Array.Sort(pods);
        Array.Sort(nodes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hpa_calls={hpaCalls} hpa_p50_ms={Percentile(hpa, 0.50):0.000} hpa_p99_ms={Percentile(hpa, 0.99):0.000} " +
            $"full_calls={fullCalls} pods_p50_ms={Percentile(pods, 0.50):0.0} pods_p99_ms={Percentile(pods, 0.99):0.0} pods_bytes={podBytes} " +
            $"nodes_p50_ms={Percentile(nodes, 0.50):0.0} nodes_p99_ms={Percentile(nodes, 0.99):0.0} nodes_bytes={nodeBytes} failed={failures}"));
        return failures == 0 ? 0 : 1;
    }

    private static string HpaPath((string Ns, string App) deployment) =>
        $"/apis/metrics.k8s.io/v1beta1/namespaces/{deployment.Ns}/pods?labelSelector=app%3D{deployment.App}";

    private static double Time(HttpClient client, string path, ref int failures)
    {
        long bytes = 0;
        return Time(client, path, ref failures, ref bytes);
    }

    /// <summary>Milliseconds from sending the request to the last byte of the body.</summary>
    private static double Time(HttpClient client, string path, ref int failures, ref long bytes)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
            using var body = response.Content.ReadAsStream();
            var counter = new CountingStream();
            body.CopyTo(counter);
            bytes = counter.Length;
            if (response.StatusCode != HttpStatusCode.OK)
                failures++;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            failures++;
        }
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static HttpClient Client(Uri baseUri, string dir)
    {
        var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(dir, "front-proxy-client.crt"), Path.Combine(dir, "front-proxy-client.key"));
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                ClientCertificates = new X509CertificateCollection { certificate },
            },
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Add("X-Remote-User", "bench-scale");
        client.DefaultRequestHeaders.Add("X-Remote-Group", "system:masters");
        return client;
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
        var result = new List<(string, string)>(seen);
        // A fixed order, so runs at the same size ask the same queries.
        result.Sort();
        return [.. result];
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>Discards what is written and counts it.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Position;
        public override long Position { get; set; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Position += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Position += buffer.Length;
    }
}
