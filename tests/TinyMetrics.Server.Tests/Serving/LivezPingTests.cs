using System.Net;
using TinyMetrics.Tests;

namespace TinyMetrics.Serving.Tests;

/// <summary>
/// The ping check needs nothing, so it passes while the Kubernetes API fails every review, as the generic apiserver's
/// PingHealthz. What still needs the API is authorization of the path: /livez is always allowed, /livez/ping is not
/// (the default --authorization-always-allow-paths are exact paths), so an anonymous caller gets upstream's 500 for a
/// failed SubjectAccessReview there, while system:masters, allowed without a review, gets 200.
/// </summary>
public sealed class LivezPingTests
{
    [Test]
    public async Task LivezPing_ReviewsFailing_PingPassesForAnyCallerThatReachesIt()
    {
        await using var server = await InProcessServer.StartAsync();
        using var anonymous = server.Client(null);
        using var proxy = server.Client("proxy");
        server.Api.FailReviews = true;
        var reviewsBefore = server.Api.AccessReviews;

        using var masters = new HttpRequestMessage(HttpMethod.Get, "/livez/ping");
        masters.Headers.Add("X-Remote-User", "admin");
        masters.Headers.Add("X-Remote-Group", "system:masters");
        using var mastersPing = await proxy.SendAsync(masters);
        using var livez = await anonymous.GetAsync("/livez?verbose");
        var reviewsAfterAllowed = server.Api.AccessReviews;
        using var anonymousPing = await anonymous.GetAsync("/livez/ping");

        await Assert.That(mastersPing.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await mastersPing.Content.ReadAsStringAsync()).IsEqualTo("ok");
        // The fake API lists nothing, so the metadata check fails; ping is evaluated and passes all the same.
        await Assert.That(await livez.Content.ReadAsStringAsync()).StartsWith("[+]ping ok\n");
        await Assert.That(reviewsAfterAllowed).IsEqualTo(reviewsBefore);
        await Assert.That(anonymousPing.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(await anonymousPing.Content.ReadAsStringAsync()).Contains("authorizer error");
    }
}
