using System.Text;

namespace TinyMetrics.Parsing.Tests;

public class Utf8InternerTests
{
    [Test]
    public async Task Intern_SameBytes_ReturnsSameInstanceAndId()
    {
        var interner = new Utf8Interner();

        var a = interner.Intern("kube-system"u8, out var idA);
        var b = interner.Intern(Encoding.UTF8.GetBytes("kube-system"), out var idB);
        var c = interner.Intern("kube-public"u8, out var idC);

        await Assert.That(ReferenceEquals(a, b)).IsTrue();
        await Assert.That(idA).IsEqualTo(idB);
        await Assert.That(c).IsEqualTo("kube-public");
        await Assert.That(idC).IsNotEqualTo(idA);
    }

    [Test]
    public async Task Intern_Utf8Name_DecodesIt()
    {
        var interner = new Utf8Interner();

        var name = interner.Intern("caf\u00e9-pod"u8, out _);

        await Assert.That(name).IsEqualTo("caf\u00e9-pod");
    }

    [Test]
    public async Task Intern_GrowsPastInitialCapacity_KeepsEveryName()
    {
        var interner = new Utf8Interner();
        var first = new string[1000];
        for (var i = 0; i < first.Length; i++)
            first[i] = interner.Intern(Encoding.UTF8.GetBytes($"name-{i}"), out _);

        for (var i = 0; i < first.Length; i++)
        {
            var again = interner.Intern(Encoding.UTF8.GetBytes($"name-{i}"), out _);
            await Assert.That(ReferenceEquals(first[i], again)).IsTrue();
        }
        await Assert.That(interner.Count).IsEqualTo(1000);
    }

    [Test]
    public async Task EndCycle_MostNamesUnused_CompactsToTheLiveOnes()
    {
        var interner = new Utf8Interner();
        for (var i = 0; i < 2000; i++)
            interner.Intern(Encoding.UTF8.GetBytes($"old-{i}"), out _);
        interner.EndCycle();
        var live = interner.Intern("old-7"u8, out _);
        for (var i = 0; i < 100; i++)
            interner.Intern(Encoding.UTF8.GetBytes($"new-{i}"), out _);

        interner.EndCycle();

        await Assert.That(interner.Count).IsEqualTo(101);
        await Assert.That(ReferenceEquals(interner.Intern("old-7"u8, out _), live)).IsTrue();
    }
}
