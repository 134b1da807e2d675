using System.Net;
using TinyMetrics.Tests;

namespace TinyMetrics.Security.Tests;

/// <summary>
/// Upstream's max-in-flight filter over real TLS: requests held inside the server (their SubjectAccessReview waits)
/// fill the limit, and every request beyond it is answered 429 at once with Retry-After: 1 and upstream's text.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class MaxInFlightLimitTests
{
    private const string Nodes = "/apis/metrics.k8s.io/v1beta1/nodes";
    private static readonly RequestUser Reader = new("reader", ["readers"], []);
    private static readonly RequestUser Master = new("admin", ["system:masters"], []);

    [Test]
    public async Task Enter_BeyondTheLimit_RejectedUntilASlotIsGivenBack()
    {
        var limit = new MaxInFlightLimit(2, 1);

        var first = limit.Enter("list", Reader);
        var second = limit.Enter("get", Reader);
        var third = limit.Enter("list", Reader);
        limit.Exit(first);
        var fourth = limit.Enter("list", Reader);

        await Assert.That(new[] { first, second, third, fourth })
            .IsEquivalentTo([InFlightAdmission.ReadOnly, InFlightAdmission.ReadOnly, InFlightAdmission.Rejected, InFlightAdmission.ReadOnly]);
        await Assert.That(limit.ReadOnlyInFlight).IsEqualTo(2);
    }

    [Test]
    [Arguments("watch", "reader", "Untracked")]
    [Arguments("create", "reader", "Rejected")]
    [Arguments("list", "admin", "Untracked")]
    [Arguments("delete", "admin", "Untracked")]
    public async Task Enter_LimitsFull_WatchesAndSystemMastersStillPass(string verb, string who, string expected)
    {
        var limit = new MaxInFlightLimit(1, 1);
        limit.Enter("list", Reader);
        limit.Enter("create", Reader);

        await Assert.That(limit.Enter(verb, who == "admin" ? Master : Reader)).IsEqualTo(Enum.Parse<InFlightAdmission>(expected));
    }

    [Test]
    public async Task Enter_BothLimitsZero_NothingCounted()
    {
        var limit = new MaxInFlightLimit(0, 0);

        for (var i = 0; i < 1000; i++)
            await Assert.That(limit.Enter("list", Reader)).IsEqualTo(InFlightAdmission.Untracked);
    }

    [Test]
    public async Task Server_LimitHeldFull_ConcurrentClientsGet429WithRetryAfterNever500()
    {
        await using var server = await InProcessServer.StartAsync("--max-requests-inflight=3");
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Api.HoldAccessReviews = hold;
        using var client = server.Client("proxy");
        // Three users, three reviews: each request holds a slot until the review is released.
        var held = Enumerable.Range(0, 3).Select(i => GetAsync(client, Nodes, "held-" + i)).ToArray();
        await Eventually(() => server.Api.AccessReviews >= 3);

        var flood = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => GetAsync(client, Nodes, "flood-" + i)));
        var master = await GetAsync(client, Nodes, "root", "system:masters");
        hold.SetResult();
        var served = await Task.WhenAll(held);
        var after = await GetAsync(client, Nodes, "held-0");

        await Assert.That(flood.All(r => r.Code == HttpStatusCode.TooManyRequests)).IsTrue();
        await Assert.That(flood[0].RetryAfter).IsEqualTo("1");
        await Assert.That(flood[0].Body).IsEqualTo("Too many requests, please try again later.\n");
        await Assert.That(flood[0].ContentType).IsEqualTo("text/plain; charset=utf-8");
        await Assert.That(master.Code).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(served.All(r => r.Code == HttpStatusCode.OK)).IsTrue();
        await Assert.That(after.Code).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Server_ManyConcurrentClients_Only200Or429()
    {
        await using var server = await InProcessServer.StartAsync("--max-requests-inflight=4");
        var handlers = Enumerable.Range(0, 50).Select(_ => server.Client("proxy")).ToArray();
        try
        {
            var results = await Task.WhenAll(handlers.Select((client, c) => Task.Run(async () =>
            {
                var codes = new List<HttpStatusCode>();
                for (var i = 0; i < 20; i++)
                    codes.Add((await GetAsync(client, Nodes, "user-" + c)).Code);
                return codes;
            })));
            var codes = results.SelectMany(c => c).ToArray();

            await Assert.That(codes.Length).IsEqualTo(1000);
            await Assert.That(codes.All(c => c is HttpStatusCode.OK or HttpStatusCode.TooManyRequests)).IsTrue();
            await Assert.That(codes.Count(c => c == HttpStatusCode.OK)).IsGreaterThan(0);
        }
        finally
        {
            foreach (var client in handlers)
                client.Dispose();
        }
    }

    private static async Task<(HttpStatusCode Code, string Body, string? RetryAfter, string? ContentType)> GetAsync(
        HttpClient client, string path, string user, string group = "team")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Remote-User", user);
        request.Headers.Add("X-Remote-Group", group);
        using var response = await client.SendAsync(request);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null;
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), retryAfter, response.Content.Headers.ContentType?.ToString());
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met within 30 s");
            await Task.Delay(20);
        }
    }
}
