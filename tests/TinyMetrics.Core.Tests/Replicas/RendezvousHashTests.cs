namespace TinyMetrics.Replicas.Tests;

public sealed class RendezvousHashTests
{
    private static readonly string[] Nodes = Enumerable.Range(0, 1000).Select(i => $"node-{i:D4}").ToArray();

    private static Membership Of(params string[] addresses) =>
        Membership.From(addresses.Select(a => new ReplicaEndpoint(a, 4443)), selfAddress: null);

    private static Dictionary<string, string> Owners(Membership membership) =>
        Nodes.ToDictionary(n => n, n => membership.Members[membership.OwnerOf(n)].Address);

    [Test]
    public async Task OwnerOf_OneOfThreeLeaves_OnlyItsNodesMove()
    {
        var three = Owners(Of("10.0.0.1", "10.0.0.2", "10.0.0.3"));
        var two = Owners(Of("10.0.0.1", "10.0.0.3"));

        var moved = Nodes.Where(n => three[n] != two[n]).ToList();
        await Assert.That(moved.All(n => three[n] == "10.0.0.2")).IsTrue();
        await Assert.That(moved.Count).IsEqualTo(three.Values.Count(a => a == "10.0.0.2"));
    }

    [Test]
    public async Task OwnerOf_OneJoins_TakesOnlyFromOthersAndNothingMovesBetweenThem()
    {
        var two = Owners(Of("10.0.0.1", "10.0.0.2"));
        var three = Owners(Of("10.0.0.1", "10.0.0.2", "10.0.0.9"));

        await Assert.That(Nodes.Where(n => two[n] != three[n]).All(n => three[n] == "10.0.0.9")).IsTrue();
    }

    [Test]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(5)]
    public async Task OwnerOf_1000Nodes_EachReplicaWithin25PercentOfItsFairShare(int replicas)
    {
        var owners = Owners(Of(Enumerable.Range(1, replicas).Select(i => $"10.244.{i}.17").ToArray()));
        var fair = Nodes.Length / (double)replicas;

        foreach (var group in owners.Values.GroupBy(a => a))
            await Assert.That(group.Count()).IsBetween((int)(fair * 0.75), (int)(fair * 1.25));
        await Assert.That(owners.Values.Distinct().Count()).IsEqualTo(replicas);
    }

    [Test]
    public async Task OwnerOf_MemberOrderGiven_SameOwnerWhateverOrderTheSlicesListed()
    {
        var a = Membership.From([new ReplicaEndpoint("10.0.0.3", 4443), new ReplicaEndpoint("10.0.0.1", 4443)], null);
        var b = Membership.From([new ReplicaEndpoint("10.0.0.1", 4443), new ReplicaEndpoint("10.0.0.3", 4443)], null);

        await Assert.That(Nodes.All(n => a.Members[a.OwnerOf(n)] == b.Members[b.OwnerOf(n)])).IsTrue();
    }

    [Test]
    public async Task Weight_KnownInputs_StableAcrossProcesses()
    {
        // Replicas of different builds must agree: the hash is fixed, never string.GetHashCode.
        var weight = RendezvousHash.Weight(RendezvousHash.MemberSeed("10.0.0.1"), RendezvousHash.NodeHash("node-0001"));

        await Assert.That(weight).IsEqualTo(RendezvousHash.Weight(RendezvousHash.MemberSeed("10.0.0.1"), RendezvousHash.NodeHash("node-0001")));
        await Assert.That(RendezvousHash.MemberSeed("a")).IsEqualTo(0xAF63DC4C8601EC8CUL);
    }

    [Test]
    public async Task IsAlone_OnlySelfOrNobody_True()
    {
        await Assert.That(Membership.Alone.IsAlone).IsTrue();
        await Assert.That(Membership.From([new ReplicaEndpoint("10.0.0.1", 1)], "10.0.0.1").IsAlone).IsTrue();
        await Assert.That(Membership.From([new ReplicaEndpoint("10.0.0.1", 1)], "10.0.0.2").IsAlone).IsFalse();
        await Assert.That(Membership.From([new ReplicaEndpoint("10.0.0.1", 1), new ReplicaEndpoint("10.0.0.2", 1)], "10.0.0.2").Self).IsEqualTo(1);
    }
}
