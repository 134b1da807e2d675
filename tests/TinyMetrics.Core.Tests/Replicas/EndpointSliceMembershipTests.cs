using System.Text.Json;
using TinyMetrics.Kube;

namespace TinyMetrics.Replicas.Tests;

public sealed class EndpointSliceMembershipTests : IDisposable
{
    private readonly KubeApiClient _api = new(new Uri("https://127.0.0.1:1"), new SocketsHttpHandler(), null);

    public void Dispose() => _api.Dispose();

    private EndpointSliceMembership Membership(string? self = "10.0.0.2") =>
        new(_api, "kube-system", "metrics-server", self, TimeProvider.System);

    // JSON written with single quotes for readability.
    private static string Json(string text) => text.Replace('\'', '"');

    private static EndpointSliceObject Slice(string name, string rv, string endpoints, string? ports = null) =>
        JsonSerializer.Deserialize(
            Json("{'kind':'EndpointSlice','apiVersion':'discovery.k8s.io/v1','metadata':{'name':'" + name + "','namespace':'kube-system','resourceVersion':'" + rv
                + "','labels':{'kubernetes.io/service-name':'metrics-server'}},'addressType':'IPv4','endpoints':" + endpoints + ",'ports':"
                + (ports ?? "[{'name':'https','port':4443,'protocol':'TCP'}]") + "}"),
            ReplicaJsonContext.Default.EndpointSliceObject)!;

    private static string Endpoint(string ip, bool? ready) =>
        "{'addresses':['" + ip + "']" + (ready is null ? "" : ",'conditions':{'ready':" + (ready.Value ? "true" : "false") + "}") + "}";

    private static void List(EndpointSliceMembership membership, params EndpointSliceObject[] slices)
    {
        var batch = membership.Sink.BeginReplace();
        foreach (var slice in slices)
            batch.Add(slice);
        batch.Commit("10");
    }

    [Test]
    public async Task List_ReadyAndUnsetReady_AreMembersSortedWithSelf()
    {
        var membership = Membership();

        List(membership, Slice("ms-a", "5", $"[{Endpoint("10.0.0.3", true)},{Endpoint("10.0.0.2", null)},{Endpoint("10.0.0.1", false)}]"));

        await Assert.That(membership.Current.Members).IsEquivalentTo([new ReplicaEndpoint("10.0.0.2", 4443), new ReplicaEndpoint("10.0.0.3", 4443)]);
        await Assert.That(membership.Current.Self).IsEqualTo(0);
    }

    [Test]
    public async Task Events_EndpointBecomesNotReadyThenSliceDeleted_MembersFollow()
    {
        var membership = Membership();
        List(membership, Slice("ms-a", "5", $"[{Endpoint("10.0.0.1", true)},{Endpoint("10.0.0.2", true)}]"),
            Slice("ms-b", "6", $"[{Endpoint("10.0.0.3", true)}]"));
        await Assert.That(membership.Current.Members.Length).IsEqualTo(3);

        membership.Sink.Upsert(Slice("ms-a", "7", $"[{Endpoint("10.0.0.1", false)},{Endpoint("10.0.0.2", true)}]"));
        await Assert.That(membership.Current.Members.Select(m => m.Address)).IsEquivalentTo(["10.0.0.2", "10.0.0.3"]);

        membership.Sink.Delete(Slice("ms-b", "8", "[]"));
        await Assert.That(membership.Current.Members.Select(m => m.Address)).IsEquivalentTo(["10.0.0.2"]);
        await Assert.That(membership.Current.IsAlone).IsTrue();
    }

    [Test]
    public async Task List_NoHttpsPort_FirstPortUsed()
    {
        var membership = Membership();

        List(membership, Slice("ms-a", "5", $"[{Endpoint("10.0.0.1", true)}]", "[{'name':'metrics','port':10250},{'port':443}]"));

        await Assert.That(membership.Current.Members[0].Port).IsEqualTo(10250);
    }

    [Test]
    public async Task List_SelfNotListed_SelfIsMinusOneAndNotAlone()
    {
        var membership = Membership(self: "10.0.0.9");

        List(membership, Slice("ms-a", "5", $"[{Endpoint("10.0.0.1", true)}]"));

        await Assert.That(membership.Current.Self).IsEqualTo(-1);
        await Assert.That(membership.Current.IsAlone).IsFalse();
    }
}
