using System.Text;

namespace TinyMetrics.Parsing.Tests;

public class Utf8TableTests
{
    private const long Minute = 60_000_000_000;

    [Test]
    public async Task GetValueRefOrAddDefault_SameBytes_FindsSameSlot()
    {
        var table = new Utf8Table<string>();

        table.GetValueRefOrAddDefault("kube-system"u8, 0, out var first) = "a";
        var value = table.GetValueRefOrAddDefault(Encoding.UTF8.GetBytes("kube-system"), 0, out var second);
        table.GetValueRefOrAddDefault("kube-public"u8, 0, out var other);

        await Assert.That(first).IsFalse();
        await Assert.That(second).IsTrue();
        await Assert.That(value).IsEqualTo("a");
        await Assert.That(other).IsFalse();
        await Assert.That(table.Count).IsEqualTo(2);
    }

    [Test]
    public async Task GetValueRefOrAddDefault_GrowsPastCapacity_KeepsEveryKey()
    {
        var table = new Utf8Table<int>(capacity: 4);
        for (var i = 0; i < 1000; i++)
            table.GetValueRefOrAddDefault(Encoding.UTF8.GetBytes($"name-{i}"), 0, out _) = i;

        for (var i = 0; i < 1000; i++)
        {
            var value = table.GetValueRefOrAddDefault(Encoding.UTF8.GetBytes($"name-{i}"), 0, out var exists);
            await Assert.That(exists).IsTrue();
            await Assert.That(value).IsEqualTo(i);
        }
        await Assert.That(table.Count).IsEqualTo(1000);
    }

    [Test]
    public async Task GetValueRefOrAddDefault_FullOfStaleKeys_EvictsThemInsteadOfGrowing()
    {
        var table = new Utf8Table<int>(capacity: 64);
        for (var i = 0; i < 64; i++)
            table.GetValueRefOrAddDefault(Encoding.UTF8.GetBytes($"old-{i}"), 0, out _) = i;
        table.GetValueRefOrAddDefault("old-7"u8, 9 * Minute, out _);

        table.GetValueRefOrAddDefault("new"u8, 11 * Minute, out _) = 99;

        await Assert.That(table.Count).IsEqualTo(2);
        await Assert.That(table.GetValueRefOrAddDefault("old-7"u8, 11 * Minute, out var kept)).IsEqualTo(7);
        await Assert.That(kept).IsTrue();
        await Assert.That(table.GetValueRefOrAddDefault("new"u8, 11 * Minute, out _)).IsEqualTo(99);
    }
}
