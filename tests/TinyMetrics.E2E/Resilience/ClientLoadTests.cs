using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using TinyMetrics.E2E.Infrastructure;

namespace TinyMetrics.E2E.Resilience;

/// <summary>
/// 20 nodes × 10 pods on 127.99.0.0/16, tinymetrics with --max-requests-inflight=20, --request-timeout=6s and at
/// most 16 HTTP/2 streams per connection: the limits the load and abuse tests push against.
/// </summary>
public sealed class ClientLoadCluster : LocalCluster
{
    public const string Host = "127.99.1.1";
    public const int Nodes = 20;
    public const int Pods = 10;
    public const int MaxInFlight = 20;
    public const int MaxStreams = 16;
    // Below tinymetrics' 10 s review call timeout, so a held request ends at this deadline (504), not at the review's (500);
    // long enough that on a loaded 2-core box the requests beyond the limit arrive while the held ones still hold it.
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);

    protected override string FirstAddress => "127.99.0.1";

    protected override int SimulatedNodes => Nodes;

    protected override int SimulatedPodsPerNode => Pods;

    protected override IEnumerable<string> BindArgs => [$"--bind-address={Host}"];

    protected override string ServerHost => Host;

    protected override IEnumerable<string> ExtraServerArgs =>
        [$"--max-requests-inflight={MaxInFlight}", $"--request-timeout={RequestTimeout.TotalSeconds}s", $"--http2-max-streams-per-connection={MaxStreams}"];
}

/// <summary>
/// Client load and abuse against the AOT binary during scrape cycles, in one bounded run (one cluster, ≤ 60 s):
/// 200 HPA- and kubectl-shaped clients over HTTP/1.1 keep-alive and HTTP/2 get only exact, self-consistent answers
/// or upstream's 429; requests beyond --max-requests-inflight get 429 with Retry-After: 1 while the limit is held
/// full; requests held past --request-timeout (a slow SubjectAccessReview) get upstream's 504 Timeout Status;
/// slow-loris connections are cut by the header timeout; oversized URLs and headers get 414 and 431; malformed
/// selectors and paths get 4xx, never 5xx; a raw HTTP/2 stream flood beyond the stream limit is refused per stream.
/// </summary>
[ClassDataSource<ClientLoadCluster>(Shared = SharedType.None)]
[NotInParallel(ClusterLanes.Own)]
public sealed class ClientLoadTests(ClientLoadCluster cluster)
{
    private const string Token = "tinymetrics-sa-token";
    private const string TooMany = "Too many requests, please try again later.\n";
    private const string TimeoutStatus =
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Timeout: request did not complete within requested timeout - context deadline exceeded","reason":"Timeout","details":{},"code":504}""";
    private const long CpuTolerance = 1_000_000;
    private const int Clients = 200;
    private const int SlowLorises = 10;
    private static readonly TimeSpan LoadPhase = TimeSpan.FromSeconds(22);

    private string BaseUri => $"https://{ClientLoadCluster.Host}:{cluster.ServerPort}";

    [Test]
    public async Task ClientFloodsAndAbuse_DuringCycles_AnswersExactAndEveryLimitHolds()
    {
        var expected = new Expected(cluster.Expected);
        // Go's ReadHeaderTimeout (32 s) cuts these while everything below runs beside them.
        var lorises = Enumerable.Range(0, SlowLorises).Select(_ => SlowLorisAsync()).ToArray();
        var ticksBefore = TickCount(await cluster.SelfMetricsAsync());

        var abuse = AbuseAsync();
        var load = await LoadAsync(expected);
        var ticksAfter = TickCount(await cluster.SelfMetricsAsync());
        var (badInputs, oversized, flood) = await abuse;

        await Assert.That(load.Wrong).IsEmpty().Because("every 200 must be exact and from one snapshot");
        await Assert.That(load.Unexpected).IsEmpty().Because("only 200 and upstream's 429 are expected under load");
        foreach (var shape in Shapes)
            await Assert.That(load.Served.GetValueOrDefault(shape)).IsGreaterThan(0).Because(shape + " served at least once");
        await Assert.That(load.Rejected).IsGreaterThan(0).Because($"{Clients} clients over a limit of {ClientLoadCluster.MaxInFlight}");
        await Assert.That(ticksAfter - ticksBefore).IsGreaterThanOrEqualTo(2).Because("the load spans scrape cycles");

        foreach (var (input, code) in badInputs)
            await Assert.That(code is >= 400 and < 500).IsTrue().Because($"{input} answered {code}");
        await Assert.That(oversized).IsEquivalentTo(new[] { 414, 431 });
        // A connection cut at once (a TCP reset discards what was unread) may not show the server's SETTINGS.
        if (flood.AnnouncedMaxStreams != 0)
            await Assert.That(flood.AnnouncedMaxStreams).IsEqualTo((uint)ClientLoadCluster.MaxStreams);
        // Streams beyond the limit are refused (RST_STREAM REFUSED_STREAM, 7), left unprocessed by a GOAWAY, or the
        // abusive connection is cut: never all queued and served, while the load above went on unaffected.
        await Assert.That(flood.Answered).IsLessThan(FloodStreams).Because(flood.ToString());
        await Assert.That(flood.Answered + flood.Reset + flood.Unprocessed).IsLessThanOrEqualTo(FloodStreams).Because(flood.ToString());
        await Assert.That(flood.Reset + flood.Unprocessed > 0 || flood.Cut).IsTrue().Because(flood.ToString());
        await Assert.That(flood.ResetCodes.Keys.All(code => code == 7)).IsTrue().Because(flood.ToString());

        await CheckLimitAndTimeoutAsync(expected);

        var cut = await Task.WhenAll(lorises).WaitAsync(TimeSpan.FromSeconds(60));
        foreach (var (sent, answer) in cut)
        {
            await Assert.That(sent).IsLessThan(SlowLorisRequest.Length).Because("the header timeout cuts a trickling client");
            await Assert.That(answer).DoesNotContain(" 200 ");
        }
        await Assert.That(cluster.Server.HasExited).IsFalse();
    }

    private static readonly string[] Shapes = ["hpa", "nodes", "pods"];

    // 200 clients: 120 over HTTP/1.1 keep-alive (two pools), 80 over HTTP/2 (two pools); each loops over one shape.
    private async Task<LoadResult> LoadAsync(Expected expected)
    {
        var result = new LoadResult();
        var clients = new[] { NewClient(http2: false), NewClient(http2: false), NewClient(http2: true), NewClient(http2: true) };
        try
        {
            var until = DateTime.UtcNow + LoadPhase;
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
            {
                var client = clients[i < 120 ? i % 2 : 2 + (i % 2)];
                var shape = (i % 5) switch { 0 => "nodes", 1 => "pods", _ => "hpa" };
                var hpa = expected.Deployments[i % expected.Deployments.Length];
                while (DateTime.UtcNow < until)
                    await OneRequestAsync(client, shape, hpa, expected, result);
            })));
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
        return result;
    }

    private async Task OneRequestAsync(HttpClient client, string shape, (string Namespace, string App) hpa, Expected expected, LoadResult result)
    {
        var path = shape switch
        {
            "nodes" => "/apis/metrics.k8s.io/v1beta1/nodes",
            "pods" => "/apis/metrics.k8s.io/v1beta1/pods",
            _ => $"/apis/metrics.k8s.io/v1beta1/namespaces/{hpa.Namespace}/pods?labelSelector=app%3D{hpa.App}",
        };
        using var response = await client.GetAsync(BaseUri + path);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var wrong = shape switch
            {
                "nodes" => expected.CheckNodes(body),
                "pods" => expected.CheckPods(body, null),
                _ => expected.CheckPods(body, hpa),
            };
            if (wrong is not null)
                result.Wrong.Add($"{path}: {wrong}");
            result.Served.AddOrUpdate(shape, 1, static (_, n) => n + 1);
        }
        else if (response.StatusCode == HttpStatusCode.TooManyRequests && body == TooMany
            && response.Headers.TryGetValues("Retry-After", out var retry) && retry.Single() == "1")
        {
            result.Reject();
            // A polite client backs off; the limit is still pushed by the other 199.
            await Task.Delay(200);
        }
        else
        {
            result.Unexpected.Add($"{path}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
        }
    }

    // The limit held full by requests whose SubjectAccessReview the simulator delays 30 s: one more request is 429 at
    // once; the held ones end at --request-timeout with upstream's 504 Status, not a review error and not after 30 s.
    private async Task CheckLimitAndTimeoutAsync(Expected expected)
    {
        var tokens = new string[ClientLoadCluster.MaxInFlight];
        for (var i = 0; i < tokens.Length; i++)
        {
            tokens[i] = await cluster.IssueTokenAsync("slow-reader-" + i, 300);
            await cluster.SetReviewDelayAsync("slow-reader-" + i, 30);
        }
        using var client = NewClient(http2: false);
        // Connections opened first, so the requests beyond the limit need no TLS handshake while the held ones' deadline runs.
        foreach (var warm in await Task.WhenAll(Enumerable.Range(0, tokens.Length + 10).Select(_ => client.GetAsync("/livez"))))
            warm.Dispose();
        var held = tokens.Select(token => TimedGetAsync(client, "/apis/metrics.k8s.io/v1beta1/nodes", token)).ToArray();
        await WaitForLimitFullAsync(client);
        await WaitForInFlightAsync(ClientLoadCluster.MaxInFlight);

        var beyond = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => TimedGetAsync(client, "/apis/metrics.k8s.io/v1beta1/nodes", Token)));
        var timedOut = await Task.WhenAll(held).WaitAsync(TimeSpan.FromSeconds(40));
        var after = await TimedGetAsync(client, "/apis/metrics.k8s.io/v1beta1/nodes", Token);

        foreach (var answer in beyond)
        {
            await Assert.That(answer.Code).IsEqualTo(429);
            await Assert.That(answer.Body).IsEqualTo(TooMany);
            await Assert.That(answer.RetryAfter).IsEqualTo("1");
        }
        foreach (var answer in timedOut)
        {
            await Assert.That(answer.Code).IsEqualTo(504);
            await Assert.That(answer.Body).IsEqualTo(TimeoutStatus);
            await Assert.That(answer.Elapsed).IsGreaterThanOrEqualTo(ClientLoadCluster.RequestTimeout - TimeSpan.FromMilliseconds(500));
            await Assert.That(answer.Elapsed).IsLessThan(TimeSpan.FromSeconds(30)).Because("the deadline, not the review, ends it");
        }
        await Assert.That(after.Code).IsEqualTo(200);
        await Assert.That(expected.CheckNodes(after.Body)).IsNull();
    }

    // The limit is full once a fast request, sent one at a time, is answered 429: only the held requests can fill it
    // then. (The in-flight gauge alone cannot show it: it is the most since the last read, which the warm-up's /livez
    // burst or the reader itself may have raised, so it can reach the limit before every held request is in.)
    private static async Task WaitForLimitFullAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var probe = await TimedGetAsync(client, "/apis/metrics.k8s.io/v1beta1/nodes", Token);
            if (probe.Code == 429)
                return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the {ClientLoadCluster.MaxInFlight} held requests never filled the limit");
    }

    // apiserver_current_inflight_requests is the most in flight since the previous read; admin (system:masters) reads it past the limit.
    private async Task WaitForInFlightAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in (await cluster.SelfMetricsAsync()).Split('\n'))
            {
                if (line.StartsWith("apiserver_current_inflight_requests{request_kind=\"readOnly\"} ", StringComparison.Ordinal)
                    && int.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture) >= count)
                    return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{count} requests never were in flight at once");
    }

    private const int FloodStreams = 400;

    // Beside the load: malformed inputs over both protocols, oversized URL and headers, and a raw stream flood.
    private async Task<(List<(string Input, int Code)> BadInputs, int[] Oversized, Http2Flood.Outcome Flood)> AbuseAsync()
    {
        await Task.Delay(3000);
        var bad = new List<(string, int)>();
        string[] inputs =
        [
            "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%20in%20(web",
            "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=%3D%3D%3D",
            "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=a%21b",
            "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=" + new string('k', 400) + "%3Dv",
            "/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dx",
            "/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3D%3D%3D",
            "/apis/metrics.k8s.io/v1beta1/nodes?limit=abc",
            "/apis/metrics.k8s.io/v1beta1/nodes?timeout=abc",
            "/apis/metrics.k8s.io/v1beta1/nodes?resourceVersionMatch=bogus",
            "/apis/metrics.k8s.io/v1beta1/nodes/node-0%00",
            "/apis/metrics.k8s.io/v1beta1/nodes/..%2F..%2Fsecrets",
            "/apis/metrics.k8s.io/v9/nodes",
            "/apis/metrics.k8s.io/v1beta1/nodes/a/b/c/d",
        ];
        foreach (var http2 in new[] { false, true })
        {
            using var client = NewClient(http2);
            foreach (var input in inputs)
            {
                int code;
                try
                {
                    using var response = await client.GetAsync(BaseUri + input);
                    code = (int)response.StatusCode;
                }
                catch (HttpRequestException) when (http2 && input.Contains("%00", StringComparison.Ordinal))
                {
                    // Kestrel refuses a NUL in an HTTP/2 path with a stream or connection error: bounded, not served.
                    code = 400;
                }
                bad.Add(((http2 ? "h2 " : "h1 ") + input, code));
            }
        }

        using var plain = NewClient(http2: false);
        using var longUrl = await plain.GetAsync(BaseUri + "/apis/metrics.k8s.io/v1beta1/pods?labelSelector=" + new string('a', 20 * 1024));
        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, BaseUri + "/apis/metrics.k8s.io/v1beta1/nodes");
        bigHeaders.Headers.Add("X-Big", new string('h', (1024 * 1024) + 1024));
        using var tooBig = await plain.SendAsync(bigHeaders);

        var flood = await Http2Flood.RunAsync(ClientLoadCluster.Host, cluster.ServerPort, "/livez", FloodStreams, TimeSpan.FromSeconds(20));
        return (bad, [(int)longUrl.StatusCode, (int)tooBig.StatusCode], flood);
    }

    private static readonly byte[] SlowLorisRequest =
        Encoding.ASCII.GetBytes("GET /livez HTTP/1.1\r\nHost: tinymetrics\r\nX-Slow: " + new string('a', 80) + "\r\n\r\n");

    // Headers at one byte a second: what was sent before the server closed, and what it answered (nothing, or an error).
    private async Task<(int Sent, string Answer)> SlowLorisAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(ClientLoadCluster.Host, cluster.ServerPort);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = ClientLoadCluster.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = static (_, _, _, _) => true,
        });
        var answer = new StringBuilder();
        var closed = ReadUntilClosedAsync(ssl, answer);
        var sent = 0;
        foreach (var b in SlowLorisRequest)
        {
            if (closed.IsCompleted)
                break;
            try
            {
                await ssl.WriteAsync(new[] { b });
                sent++;
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(closed, Task.Delay(1000));
        }
        await closed.WaitAsync(TimeSpan.FromSeconds(60));
        return (sent, answer.ToString());
    }

    private static async Task ReadUntilClosedAsync(SslStream ssl, StringBuilder text)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await ssl.ReadAsync(buffer)) > 0)
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        catch (IOException)
        {
            // A reset is a close too.
        }
    }

    private static async Task<(int Code, string Body, string? RetryAfter, TimeSpan Elapsed)> TimedGetAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var retry = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return ((int)response.StatusCode, body, retry, clock.Elapsed);
    }

    private HttpClient NewClient(bool http2)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        };
        var client = new HttpClient(handler)
        {
            BaseAddress = new Uri(BaseUri),
            Timeout = TimeSpan.FromSeconds(40),
            DefaultRequestVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    // metrics_server_manager_tick_duration_seconds_count: scrape cycles ended so far.
    private static long TickCount(string metrics)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("metrics_server_manager_tick_duration_seconds_count ", StringComparison.Ordinal))
                return long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException("no tick duration histogram in /metrics");
    }

    private sealed class LoadResult
    {
        public ConcurrentBag<string> Wrong { get; } = [];

        public ConcurrentBag<string> Unexpected { get; } = [];

        private int _rejected;

        public ConcurrentDictionary<string, int> Served { get; } = new();

        public int Rejected => Volatile.Read(ref _rejected);

        public void Reject() => Interlocked.Increment(ref _rejected);
    }

    /// <summary>
    /// expected.json indexed for the checks: an answer is right when it holds exactly the expected items, each with the
    /// simulator's values, and its timestamps lie within one cycle (a snapshot torn across two cycles spans about a
    /// resolution: 10 s here; one cycle's scrapes end within the 5 s kubelet timeout).
    /// </summary>
    private sealed class Expected
    {
        private static readonly TimeSpan OneCycle = TimeSpan.FromSeconds(6);
        private readonly Dictionary<string, ExpectedNode> _nodes;
        private readonly Dictionary<string, ExpectedPod> _pods;

        public Expected(ExpectedMetrics metrics)
        {
            _nodes = metrics.Nodes.ToDictionary(n => n.Name);
            _pods = metrics.Pods.ToDictionary(p => p.Namespace + "/" + p.Name);
            Deployments = metrics.Pods.Where(p => p.Labels.ContainsKey("app")).Select(p => (p.Namespace, p.Labels["app"])).Distinct().ToArray();
        }

        public (string Namespace, string App)[] Deployments { get; }

        public string? CheckNodes(string body)
        {
            using var json = JsonDocument.Parse(body);
            var stamps = new List<DateTimeOffset>();
            var seen = 0;
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
                if (!_nodes.TryGetValue(name, out var want))
                    return "unknown node " + name;
                if (Usage(item.GetProperty("usage"), want) is { } wrong)
                    return name + ": " + wrong;
                stamps.Add(item.GetProperty("timestamp").GetDateTimeOffset());
                seen++;
            }
            return seen != _nodes.Count ? $"{seen} of {_nodes.Count} nodes" : OneSnapshot(stamps);
        }

        public string? CheckPods(string body, (string Namespace, string App)? hpa)
        {
            using var json = JsonDocument.Parse(body);
            var stamps = new List<DateTimeOffset>();
            var seen = 0;
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                var metadata = item.GetProperty("metadata");
                var key = metadata.GetProperty("namespace").GetString() + "/" + metadata.GetProperty("name").GetString();
                if (!_pods.TryGetValue(key, out var want))
                    return "unknown pod " + key;
                if (hpa is { } h && (want.Namespace != h.Namespace || want.Labels.GetValueOrDefault("app") != h.App))
                    return key + " does not match the selector";
                var containers = item.GetProperty("containers");
                if (containers.GetArrayLength() != want.Containers.Count)
                    return key + ": container count";
                foreach (var container in containers.EnumerateArray())
                {
                    var name = container.GetProperty("name").GetString();
                    var wantContainer = want.Containers.FirstOrDefault(c => c.Name == name);
                    if (wantContainer is null || Usage(container.GetProperty("usage"), wantContainer) is { } wrong)
                        return key + "/" + name + ": wrong usage";
                }
                stamps.Add(item.GetProperty("timestamp").GetDateTimeOffset());
                seen++;
            }
            var count = hpa is { } q ? _pods.Values.Count(p => p.Namespace == q.Namespace && p.Labels.GetValueOrDefault("app") == q.App) : _pods.Count;
            return seen != count ? $"{seen} of {count} pods" : OneSnapshot(stamps);
        }

        private static string? Usage(JsonElement usage, ExpectedNode want)
        {
            var memory = QuantityText.Bytes(usage.GetProperty("memory").GetString()!);
            var cpu = QuantityText.NanoCores(usage.GetProperty("cpu").GetString()!);
            return memory == want.MemoryBytes && Math.Abs(cpu - want.CpuNanoCores) <= CpuTolerance
                ? null
                : $"memory {memory} cpu {cpu}, expected {want.MemoryBytes} {want.CpuNanoCores}";
        }

        private static string? OneSnapshot(List<DateTimeOffset> stamps) =>
            stamps.Count == 0 || stamps.Max() - stamps.Min() < OneCycle ? null : $"timestamps span {stamps.Max() - stamps.Min()}";
    }
}
