using System.Text;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Discovery;
using TinyMetrics.Kube;
using TinyMetrics.Kube.Tests;

namespace TinyMetrics.Scraping.Tests;

public class ScraperTests
{
    private static readonly ScrapeOptions Options = new()
    {
        UseNodeStatusPort = true,
        PreferredAddressTypes = ["InternalIP"],
        RequestTimeout = TimeSpan.FromSeconds(5),
        JitterPerNode = TimeSpan.Zero,
    };

    private static (Scraper Scraper, KubeletClient Client) Create(
        TestCertificates certs, ScrapeOptions? options = null, IBearerTokenSource? token = null, bool skipVerify = false, TimeProvider? time = null)
    {
        var credentials = new KubeletCredentials(new TlsSettings(skipVerify ? null : certs.CaCollection, null, skipVerify), token);
        // Silent kubelets' handshakes end at the cycle's (fake-time) deadline, never at the real-time connect timeout.
        var client = new KubeletClient(credentials, new KubeletClientOptions { ConnectTimeout = TimeSpan.FromMinutes(5) });
        return (new Scraper(client, options ?? Options, time ?? TimeProvider.System), client);
    }

    private static CancellationToken Cycle(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Test]
    public async Task ScrapeAsync_HealthyKubelet_ReturnsBatch()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.2");
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error).IsNull();
        await Assert.That(results[0].NodeName).IsEqualTo("node-a");
        await Assert.That(results[0].Batch).IsNotNull();
        await Assert.That(kubelet.Server.Requests.Single().Target).IsEqualTo("/metrics/resource");
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(200, 0));
    }

    [Test]
    public async Task ScrapeAsync_BearerToken_IsSentToKubelet()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.3");
        var (scraper, client) = Create(certs, token: new StaticTokenSource("kubelet-token-1"));
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Succeeded).IsTrue();
        await Assert.That(kubelet.Server.Requests.Single().Header("Authorization")).IsEqualTo("Bearer kubelet-token-1");
    }

    [Test]
    public async Task ScrapeAsync_KubeletSignedByOtherCa_FailsWithTlsError()
    {
        using var certs = new TestCertificates();
        using var otherCa = new TestCertificates("other-ca");
        await using var kubelet = new TestKubelet(otherCa, "127.0.0.4");
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Succeeded).IsFalse();
        await Assert.That(results[0].Error!).Contains("SSL connection could not be established");
        await Assert.That(results[0].Error!).StartsWith($"Get \"https://127.0.0.4:{kubelet.Server.Port}/metrics/resource\"");
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(KubeletRequests.NoResponse, 0));
    }

    [Test]
    public async Task ScrapeAsync_InsecureTls_AcceptsUnknownCa()
    {
        using var certs = new TestCertificates();
        using var otherCa = new TestCertificates("other-ca");
        await using var kubelet = new TestKubelet(otherCa, "127.0.0.5");
        var (scraper, client) = Create(certs, skipVerify: true);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error).IsNull();
    }

    [Test]
    public async Task ScrapeAsync_CertificateForOtherIp_FailsHostnameCheck()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.6", certifiedAddress: "127.0.0.66");
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error!).Contains("RemoteCertificateNameMismatch");
    }

    [Test]
    public async Task ScrapeAsync_Non200_ReturnsStatusError()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.7", async (_, stream, ct) =>
        {
            await TestResponses.WriteTextAsync(stream, 403, "Forbidden", "Forbidden (user=system:anonymous)", ct);
            return true;
        });
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error).IsEqualTo("request failed, status: \"403 Forbidden\"");
    }

    [Test]
    [Arguments("")]
    [Arguments("# HELP process_start_time_seconds Start time of the process.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1.7e+09\n")]
    public async Task ScrapeAsync_WellFormedBodyWithoutResourceSeries_FailsAsNoSeries(string body)
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.27", async (_, stream, ct) =>
        {
            await TestResponses.WriteTextAsync(stream, 200, "OK", body, ct);
            return true;
        });
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Succeeded).IsFalse();
        await Assert.That(results[0].Reason).IsEqualTo(ScrapeFailureReason.NoSeries);
        await Assert.That(results[0].Error).IsEqualTo(ScrapeFailureReason.NoSeriesError);
    }

    [Test]
    public async Task ScrapeAsync_BodyCutAfterHeaders_FailsAsTruncatedBody()
    {
        using var certs = new TestCertificates();
        // Status, headers and the first bytes of the declared length, then the kubelet closes its end.
        await using var kubelet = new TestKubelet(certs, "127.0.0.28", async (_, stream, ct) =>
        {
            var body = Encoding.UTF8.GetBytes(TestKubelet.Body);
            var head = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {body.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
            await stream.WriteAsync(body.AsMemory(0, body.Length / 2), ct);
            await stream.FlushAsync(ct);
            return false;
        });
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Succeeded).IsFalse();
        await Assert.That(results[0].Error).IsEqualTo("failed to read response body - unexpected EOF");
        await Assert.That(results[0].Reason).IsEqualTo(ScrapeFailureReason.TruncatedBody);
    }

    [Test]
    public async Task ScrapeAsync_HungKubelet_TimesOutWhileHealthyNodeSucceeds()
    {
        using var certs = new TestCertificates();
        await using var hung = new TestKubelet(certs, "127.0.0.8", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        await using var healthy = new TestKubelet(certs, "127.0.0.9");
        // The request timeout runs on this clock: only Advance can end the hung request, however slow the machine.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (scraper, client) = Create(certs, Options with { RequestTimeout = TimeSpan.FromSeconds(1) }, time: time);
        using var _ = client;

        var scrape = scraper.ScrapeAsync([hung.Node("hung"), healthy.Node("healthy")], Cycle());
        // A parser slot exists once the healthy body has been fetched; its parse then completes without waiting on the clock.
        await Eventually(() => !hung.Server.Requests.IsEmpty && scraper.ParserCount > 0);
        var completedBeforeTimeout = scrape.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));
        var results = await scrape.WaitAsync(TimeSpan.FromSeconds(15));

        await Assert.That(completedBeforeTimeout).IsFalse();
        await Assert.That(results[0].Error!).StartsWith("timeout to access kubelet");
        await Assert.That(results[0].ElapsedMs).IsEqualTo(1000);
        await Assert.That(results[0].Requests).IsEqualTo(new KubeletRequests(KubeletRequests.NoResponse, 0));
        await Assert.That(results[1].Succeeded).IsTrue();
    }

    [Test]
    public async Task ScrapeAsync_CycleCancelled_EverySlotHasAnError()
    {
        using var certs = new TestCertificates();
        await using var hung = new TestKubelet(certs, "127.0.0.10", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        var options = Options with { RequestTimeout = TimeSpan.FromSeconds(30) };
        var (scraper, client) = Create(certs, options);
        using var _ = client;
        var nodes = new[] { hung.Node("a"), hung.Node("b"), hung.Node("c") };

        var results = await scraper.ScrapeAsync(nodes, new CancellationTokenSource(TimeSpan.FromMilliseconds(500)).Token);

        await Assert.That(results.Select(r => r.NodeName)).IsEquivalentTo(["a", "b", "c"]);
        await Assert.That(results.All(r => !r.Succeeded && r.Error is not null)).IsTrue();
    }

    [Test]
    public async Task ScrapeAsync_HugeBody_FailsAsTooLarge()
    {
        using var certs = new TestCertificates();
        // No Content-Length: the cap must hold while reading, not only on the header.
        await using var kubelet = new TestKubelet(certs, "127.0.0.11", async (_, stream, ct) =>
        {
            await TestResponses.BeginChunkedAsync(stream, "text/plain", ct);
            var chunk = new byte[1024 * 1024];
            chunk.AsSpan().Fill((byte)'#');
            for (var i = 0; i < 50; i++)
                await TestResponses.WriteChunkAsync(stream, chunk, ct);
            await TestResponses.EndChunkedAsync(stream, ct);
            return false;
        });
        // Reading 16 MiB over TLS on a loaded machine can take seconds: the cap, not the timeout, must end it.
        var (scraper, client) = Create(certs, Options with { RequestTimeout = TimeSpan.FromSeconds(60) });
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle(90));

        await Assert.That(results[0].Error).IsEqualTo("response body too large");
    }

    [Test]
    public async Task ScrapeAsync_DeclaredHugeBody_FailsBeforeReading()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.12", async (_, stream, ct) =>
        {
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 52428800\r\n\r\n"u8.ToArray(), ct);
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        var (scraper, client) = Create(certs);
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(results[0].Error).IsEqualTo("response body too large");
    }

    [Test]
    [Arguments(true, 0)]
    [Arguments(true, 1)]
    [Arguments(false, 0)]
    [Arguments(false, 1)]
    public async Task ScrapeAsync_BodyAtTheCap_IsParsedAndOneByteMoreIsTooLarge(bool declaredLength, int overCap)
    {
        // Past the 64 KiB first buffer, so the growth towards the cap is exercised too.
        const int cap = 150_000;
        var body = PaddedBody(cap + overCap);
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, declaredLength ? "127.0.0.25" : "127.0.0.26", async (_, stream, ct) =>
        {
            if (declaredLength)
            {
                await TestResponses.WriteAsync(stream, 200, "OK", body, "text/plain; version=0.0.4", ct);
                return true;
            }
            await TestResponses.BeginChunkedAsync(stream, "text/plain; version=0.0.4", ct);
            for (var offset = 0; offset < body.Length; offset += 7_000)
                await TestResponses.WriteChunkAsync(stream, body.AsMemory(offset, Math.Min(7_000, body.Length - offset)), ct);
            await TestResponses.EndChunkedAsync(stream, ct);
            return true;
        });
        var (scraper, client) = Create(certs, Options with { MaxBodyBytes = cap });
        using var _ = client;

        var results = await scraper.ScrapeAsync([kubelet.Node("node-a")], Cycle());

        await Assert.That(body.Length).IsEqualTo(cap + overCap);
        if (overCap == 0)
        {
            await Assert.That(results[0].Error).IsNull();
            await Assert.That(results[0].Batch).IsNotNull();
        }
        else
        {
            await Assert.That(results[0].Error).IsEqualTo("response body too large");
        }
    }

    // The fixture body, then comment lines up to exactly `length` bytes (the last line's x's absorb the rest).
    private static byte[] PaddedBody(int length)
    {
        var text = new StringBuilder(TestKubelet.Body, length);
        const string line = "# padding xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
        while (text.Length + (2 * line.Length) <= length)
            text.Append(line);
        var rest = length - text.Length;
        text.Append("# ").Append('x', rest - 3).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static async Task Eventually(Func<bool> condition, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met in 15 s" + (state is null ? "" : ": " + state()));
            await Task.Delay(10);
        }
    }

    [Test]
    public async Task ScrapeAsync_TwoCycles_ReuseOneConnection()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.13");
        var (scraper, client) = Create(certs);
        using var _ = client;
        var node = kubelet.Node("node-a");

        var first = await scraper.ScrapeAsync([node], Cycle());
        var second = await scraper.ScrapeAsync([node], Cycle());

        await Assert.That(first[0].Succeeded && second[0].Succeeded).IsTrue();
        await Assert.That(kubelet.Server.Requests.Count).IsEqualTo(2);
        await Assert.That(kubelet.Server.AcceptedConnections).IsEqualTo(1);
    }

    [Test]
    public async Task ScrapeAsync_UnresolvableNode_ReturnsAddressError()
    {
        using var certs = new TestCertificates();
        var (scraper, client) = Create(certs);
        using var _ = client;
        var node = new NodeInfo("bare", LabelSet.Empty, [new NodeAddress("Hostname", "bare")], 0, null, true);

        var results = await scraper.ScrapeAsync([node], Cycle());

        await Assert.That(results[0].Error).IsEqualTo("no address matched types [InternalIP]");
        await Assert.That(results[0].Requests).IsEqualTo(default(KubeletRequests)).Because("no request was sent");
    }

    [Test]
    public async Task ScrapeAsync_ManyNodes_AllSucceed()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.14");
        var (scraper, client) = Create(certs, Options with { JitterPerNode = TimeSpan.FromMilliseconds(2) });
        using var _ = client;
        var nodes = Enumerable.Range(0, 20).Select(i => kubelet.Node("n" + i)).ToArray();

        var results = await scraper.ScrapeAsync(nodes, Cycle());

        await Assert.That(results.Count(r => r.Succeeded)).IsEqualTo(20);
        await Assert.That(results.Select(r => r.NodeName).ToArray()).IsEquivalentTo(nodes.Select(n => n.Name).ToArray());
        await Assert.That(results.Select(r => r.Batch).Distinct().Count()).IsEqualTo(20);
        await Assert.That(scraper.ParserCount).IsLessThanOrEqualTo(Environment.ProcessorCount);
    }

    [Test]
    public async Task ScrapeAsync_SecondCycle_ReusesBatchesOfTheFirst()
    {
        using var certs = new TestCertificates();
        await using var kubelet = new TestKubelet(certs, "127.0.0.15");
        var (scraper, client) = Create(certs);
        using var _ = client;
        var nodes = new[] { kubelet.Node("a"), kubelet.Node("b") };

        var first = (await scraper.ScrapeAsync(nodes, Cycle())).Select(r => r.Batch).ToHashSet();
        var second = (await scraper.ScrapeAsync(nodes, Cycle())).Select(r => r.Batch).ToHashSet();

        await Assert.That(first.Count).IsEqualTo(2);
        await Assert.That(second.SetEquals(first)).IsTrue();
    }

    [Test]
    public async Task ScrapeAsync_ManyHungNodes_HealthyNodeScrapedWithoutWaitingForThem()
    {
        using var certs = new TestCertificates();
        await using var hung = new TestKubelet(certs, "127.0.0.16", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        await using var healthy = new TestKubelet(certs, "127.0.0.17");
        // Nothing ends a hung request but Advance: the healthy node must be done while all of them still hang.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Room for every new connection at once: the bound and its hold are ScrapeAsync_ManyNewConnections_…'s subject.
        var options = Options with { RequestTimeout = TimeSpan.FromSeconds(2), MaxNewConnections = 301 };
        var (scraper, client) = Create(certs, options, time: time);
        using var _ = client;
        var nodes = Enumerable.Range(0, 300).Select(i => hung.Node("h" + i)).Append(healthy.Node("ok")).ToArray();
        var scrape = scraper.ScrapeAsync(nodes, Cycle(60));
        await Eventually(() => !healthy.Server.Requests.IsEmpty && scraper.ParserCount > 0);
        time.Advance(TimeSpan.FromSeconds(2));
        var results = await scrape.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(results.Count(r => r.Error?.StartsWith("timeout to access kubelet") == true)).IsEqualTo(300);
        await Assert.That(results[300].Succeeded).IsTrue();
    }

    [Test]
    public async Task ScrapeAsync_LateStartingNodes_ShareTheDeadlineOfTheCycleStart()
    {
        using var certs = new TestCertificates();
        await using var hung = new TestKubelet(certs, "127.0.0.18", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Starts spread over up to 1 s (half the timeout); a node started at 0.9 s still ends at 2 s.
        var options = Options with { RequestTimeout = TimeSpan.FromSeconds(2), JitterPerNode = TimeSpan.FromSeconds(1) };
        var (scraper, client) = Create(certs, options, time: time);
        using var _ = client;
        var nodes = Enumerable.Range(0, 20).Select(i => hung.Node("h" + i)).ToArray();

        var scrape = scraper.ScrapeAsync(nodes, Cycle(60));
        time.Advance(TimeSpan.FromSeconds(2));
        var results = await scrape.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(results.Count(r => r.Error?.StartsWith("timeout to access kubelet") == true)).IsEqualTo(20);
        await Assert.That(results.Max(r => r.ElapsedMs)).IsLessThanOrEqualTo(2000);
    }

    [Test]
    public async Task ScrapeAsync_NodeThatFailedLastCycle_StartsAfterEveryOtherNode()
    {
        using var certs = new TestCertificates();
        await using var failing = new TestKubelet(certs, "127.0.0.19", async (_, stream, ct) =>
        {
            await TestResponses.WriteTextAsync(stream, 500, "Internal Server Error", "broken", ct);
            return true;
        });
        await using var a = new TestKubelet(certs, "127.0.0.20");
        await using var b = new TestKubelet(certs, "127.0.0.21");
        await using var c = new TestKubelet(certs, "127.0.0.22");
        int Healthy() => a.Server.Requests.Count + b.Server.Requests.Count + c.Server.Requests.Count;
        var time = new TimerCountingTimeProvider();
        // 4 nodes × 250 ms: starts spread over 1 s, at its middle (500 ms); the failed node's after it, at
        // 1 s + 1 ms + 0.5 × min(1 s, 4 s / 4) = 1,501 ms.
        var options = Options with { RequestTimeout = TimeSpan.FromSeconds(4), JitterPerNode = TimeSpan.FromMilliseconds(250) };
        var (scraper, client) = Create(certs, options, time: time);
        scraper.NextJitter = () => 0.5;
        using var _ = client;
        NodeInfo[] nodes = [a.Node("a"), b.Node("b"), c.Node("c"), failing.Node("failing")];

        // Cycle 1: no history, so every node starts at 500 ms. Time moves only once every start has its timer (the
        // cycle's deadline and four start delays).
        var first = scraper.ScrapeAsync(nodes, Cycle(60));
        await Eventually(() => time.Timers == 5);
        time.Advance(TimeSpan.FromMilliseconds(600));
        var firstResults = await first.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(firstResults.Take(3).All(r => r.Succeeded)).IsTrue();
        await Assert.That(failing.Server.Requests.Count).IsEqualTo(1);

        // Cycle 2: at 600 ms every healthy node has been asked again and the failed one not yet; at 1,600 ms it has. Cycle 1's
        // fetches each made a timer too (the hold of a new connection): count from here.
        var timersBefore = time.Timers;
        var second = scraper.ScrapeAsync(nodes, Cycle(60));
        await Eventually(() => time.Timers == timersBefore + 5);
        time.Advance(TimeSpan.FromMilliseconds(600));
        await Eventually(() => Healthy() == 6, () =>
            $"timers {time.Timers}, requests {a.Server.Requests.Count}/{b.Server.Requests.Count}/{c.Server.Requests.Count}/{failing.Server.Requests.Count}, " +
            $"connections {a.Server.AcceptedConnections}/{b.Server.AcceptedConnections}/{c.Server.AcceptedConnections}, cycle done {second.IsCompleted}");
        await Assert.That(failing.Server.Requests.Count).IsEqualTo(1);
        time.Advance(TimeSpan.FromMilliseconds(1000));
        var secondResults = await second.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(failing.Server.Requests.Count).IsEqualTo(2);
        await Assert.That(secondResults.Take(3).All(r => r.Succeeded)).IsTrue();
        await Assert.That(secondResults[3].Reason).IsEqualTo(ScrapeFailureReason.HttpStatus);
    }

    [Test]
    public async Task ScrapeAsync_ManyNewConnections_AdmittedAtMostTheBoundAtOnceAndOneMoreEachHold()
    {
        // Six kubelets that take the connection and never start TLS: nothing but the hold frees a place.
        var kubelets = Enumerable.Range(0, 6).Select(i => new SilentKubelet($"127.0.0.{29 + i}")).ToList();
        try
        {
            int Asked() => kubelets.Count(k => k.Accepted > 0);
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var options = Options with
            {
                RequestTimeout = TimeSpan.FromSeconds(10),
                MaxNewConnections = 2,
                NewConnectionHold = TimeSpan.FromSeconds(1),
            };
            using var certs = new TestCertificates();
            var (scraper, client) = Create(certs, options, time: time);
            using var _ = client;

            var scrape = scraper.ScrapeAsync([.. kubelets.Select((k, i) => k.Node("n" + i))], Cycle(60));
            await Eventually(() => Asked() == 2);
            await Task.Delay(300);
            var askedBeforeHold = Asked();
            time.Advance(TimeSpan.FromSeconds(1));
            await Eventually(() => Asked() == 4, () => $"asked {Asked()}");
            await Task.Delay(300);
            var askedAfterOneHold = Asked();
            time.Advance(TimeSpan.FromSeconds(1));
            await Eventually(() => Asked() == 6, () => $"asked {Asked()}");
            time.Advance(TimeSpan.FromSeconds(8));
            var results = await scrape.WaitAsync(TimeSpan.FromSeconds(30));

            await Assert.That(askedBeforeHold).IsEqualTo(2);
            await Assert.That(askedAfterOneHold).IsEqualTo(4);
            await Assert.That(results.All(r => r.Reason == ScrapeFailureReason.Timeout)).IsTrue()
                .Because(string.Join("; ", results.Select(r => r.Error)));
        }
        finally
        {
            foreach (var kubelet in kubelets)
                await kubelet.DisposeAsync();
        }
    }

    [Test]
    public async Task ScrapeAsync_KubeletsThatHangAfterTheHandshake_GiveTheirPlaceBackWithIt()
    {
        using var certs = new TestCertificates();
        var hung = Enumerable.Range(0, 4).Select(i => new TestKubelet(certs, $"127.0.0.{38 + i}", async (_, _, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        })).ToList();
        await using var healthy = new TestKubelet(certs, "127.0.0.42");
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            // One place, a hold far longer than the test: the clock does not move until every node has been asked, so only
            // the end of each handshake can have given the place on.
            var options = Options with
            {
                RequestTimeout = TimeSpan.FromSeconds(10),
                MaxNewConnections = 1,
                NewConnectionHold = TimeSpan.FromSeconds(9),
            };
            var (scraper, client) = Create(certs, options, time: time);
            using var _ = client;
            NodeInfo[] nodes = [.. hung.Select((k, i) => k.Node("hung-" + i)), healthy.Node("healthy")];

            var scrape = scraper.ScrapeAsync(nodes, Cycle(60));
            await Eventually(() => hung.All(k => !k.Server.Requests.IsEmpty) && !healthy.Server.Requests.IsEmpty,
                () => $"asked {hung.Count(k => !k.Server.Requests.IsEmpty)} hung, healthy {healthy.Server.Requests.Count}");
            // Closing the hung kubelets ends their requests; the clock never reaches the deadline.
            await DisposeAllAsync(hung);
            var results = await scrape.WaitAsync(TimeSpan.FromSeconds(30));

            await Assert.That(results[..4].All(r => !r.Succeeded)).IsTrue();
            await Assert.That(results[4].Succeeded).IsTrue().Because(results[4].Error ?? "");
        }
        finally
        {
            await DisposeAllAsync(hung);
        }
    }

    private static async Task DisposeAllAsync(List<TestKubelet> kubelets)
    {
        foreach (var kubelet in kubelets)
            await kubelet.DisposeAsync();
        kubelets.Clear();
    }

    [Test]
    public async Task ScrapeAsync_NodeThatAnsweredLastCycle_NotHeldBehindNewConnections()
    {
        using var certs = new TestCertificates();
        // Never completes the handshake: it holds the only place for the whole hold.
        await using var hung = new SilentKubelet("127.0.0.35");
        await using var warm = new TestKubelet(certs, "127.0.0.36");
        await using var cold = new TestKubelet(certs, "127.0.0.37");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // One place for a new connection, held 2 s; starts spread over 300 ms: the hung node and the warm one at 0, the new one at 150 ms.
        var options = Options with
        {
            RequestTimeout = TimeSpan.FromSeconds(10),
            JitterPerNode = TimeSpan.FromMilliseconds(100),
            MaxNewConnections = 1,
            NewConnectionHold = TimeSpan.FromSeconds(2),
        };
        var (scraper, client) = Create(certs, options, time: time);
        using var _ = client;
        scraper.NextJitter = () => 0;
        var first = await scraper.ScrapeAsync([warm.Node("warm")], Cycle()).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.That(first[0].Succeeded).IsTrue();

        var jitters = new Queue<double>([0, 0, 0.5]);
        scraper.NextJitter = jitters.Dequeue;
        var scrape = scraper.ScrapeAsync([hung.Node("hung"), warm.Node("warm"), cold.Node("cold")], Cycle(60));
        // The warm node is scraped again while the hung one holds the only place.
        await Eventually(() => hung.Accepted == 1 && warm.Server.Requests.Count == 2);
        time.Advance(TimeSpan.FromMilliseconds(200));
        await Task.Delay(300);
        var coldAskedDuringHold = cold.Server.Requests.Count;
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually(() => cold.Server.Requests.Count == 1);
        // Closing the silent kubelet ends its handshake; the clock never reaches the deadline.
        await hung.DisposeAsync();
        var results = await scrape.WaitAsync(TimeSpan.FromSeconds(30));

        await Assert.That(coldAskedDuringHold).IsEqualTo(0);
        await Assert.That(results[0].Succeeded).IsFalse();
        await Assert.That(results[1].Succeeded).IsTrue();
        await Assert.That(results[2].Succeeded).IsTrue();
    }

    /// <summary>Fake time that counts the timers created on it, so a test advances only once every wait is registered.</summary>
    private sealed class TimerCountingTimeProvider() : FakeTimeProvider(DateTimeOffset.UtcNow)
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    [Test]
    [Arguments(10, 80.0)]
    [Arguments(1000, 1250.0)]
    public async Task DeferredStartSpreadMs_AsWideAsTheSpread_AtMostAQuarterOfTheTimeout(int nodes, double expected)
    {
        var options = new ScrapeOptions { RequestTimeout = TimeSpan.FromSeconds(5) };

        await Assert.That(options.DeferredStartSpreadMs(nodes)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(10, 80.0)]
    [Arguments(1000, 2500.0)]
    public async Task StartSpreadMs_CappedAtHalfTheTimeout(int nodes, double expected)
    {
        var options = new ScrapeOptions { RequestTimeout = TimeSpan.FromSeconds(5) };

        await Assert.That(options.StartSpreadMs(nodes)).IsEqualTo(expected);
    }
}
