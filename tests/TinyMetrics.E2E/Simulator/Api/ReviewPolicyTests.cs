using System.Net;
using System.Text;
using System.Text.Json;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

public class ReviewPolicyTests
{
    [Test]
    [Arguments("reader", true)]
    [Arguments("admin", true)]
    [Arguments(TokenAuthenticator.UnprivilegedUser, false)]
    [Arguments("system:anonymous", false)]
    [Arguments("", false)]
    public async Task Allows_UserNeverMentioned_FollowsTheDefault(string user, bool expected)
    {
        await Assert.That(new ReviewPolicy().Allows(user)).IsEqualTo(expected);
    }

    [Test]
    public async Task Allows_RevokedThenGranted_FollowsTheLastChangeForThatUserOnly()
    {
        var policy = new ReviewPolicy();

        policy.Revoke("reader");
        policy.Grant(TokenAuthenticator.UnprivilegedUser);
        var revoked = policy.Allows("reader");
        var other = policy.Allows("writer");
        policy.Grant("reader");

        await Assert.That(revoked).IsFalse();
        await Assert.That(other).IsTrue();
        await Assert.That(policy.Allows("reader")).IsTrue();
        await Assert.That(policy.Allows(TokenAuthenticator.UnprivilegedUser)).IsTrue();
    }

    [Test]
    public async Task PolicyEndpoints_RevokeThenGrant_SubjectAccessReviewFollows()
    {
        await using var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        using var admin = sim.Client(TokenAuthenticator.AdminToken);
        var before = await ReviewAsync(sim, "reader");

        using var revoke = await admin.PostAsync(sim.Api("/simulator/policy/revoke?user=reader"), null);
        var revoked = await ReviewAsync(sim, "reader");
        var bystander = await ReviewAsync(sim, "writer");
        using var grant = await admin.PostAsync(sim.Api("/simulator/policy/grant?user=reader"), null);
        var granted = await ReviewAsync(sim, "reader");

        await Assert.That(before).IsEqualTo((true, "simulator allows every authenticated user"));
        await Assert.That(revoke.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await revoke.Content.ReadAsStringAsync()).IsEqualTo("revoked reader\n");
        await Assert.That(revoked).IsEqualTo((false, "simulator denies reader"));
        await Assert.That(bystander.Allowed).IsTrue();
        await Assert.That(grant.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(granted.Allowed).IsTrue();
    }

    [Test]
    [Arguments(TokenAuthenticator.UnprivilegedToken, "/simulator/policy/grant?user=unprivileged", HttpStatusCode.Forbidden)]
    [Arguments(TokenAuthenticator.MetricsServerToken, "/simulator/policy/revoke?user=admin", HttpStatusCode.Forbidden)]
    [Arguments(TokenAuthenticator.AdminToken, "/simulator/policy/revoke", HttpStatusCode.BadRequest)]
    public async Task PolicyEndpoints_NonAdminOrNoUser_AreRefusedAndChangeNothing(string token, string path, HttpStatusCode expected)
    {
        await using var sim = new SimulatorFixture();
        await sim.InitializeAsync();
        using var client = sim.Client(token);

        using var response = await client.PostAsync(sim.Api(path), null);

        await Assert.That(response.StatusCode).IsEqualTo(expected);
        await Assert.That((await ReviewAsync(sim, "admin")).Allowed).IsTrue();
        await Assert.That((await ReviewAsync(sim, TokenAuthenticator.UnprivilegedUser)).Allowed).IsFalse();
    }

    private static async Task<(bool Allowed, string Reason)> ReviewAsync(SimulatorFixture sim, string user)
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        var json = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":\"" + user
            + "\",\"resourceAttributes\":{\"group\":\"metrics.k8s.io\",\"resource\":\"nodes\",\"verb\":\"list\"}}}";
        using var response = await client.PostAsync(sim.Api("/apis/authorization.k8s.io/v1/subjectaccessreviews"),
            new StringContent(json, Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var status = body.RootElement.GetProperty("status");
        return (status.GetProperty("allowed").GetBoolean(), status.GetProperty("reason").GetString()!);
    }
}
