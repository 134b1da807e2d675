namespace TinyMetrics.Discovery.Tests;

public class LabelSetTests
{
    [Test]
    public async Task From_UnsortedLabels_SortsByOrdinalKey()
    {
        var set = LabelSet.From([new("b", "2"), new("B", "1"), new("a", "3")]);

        await Assert.That(set.Pairs[0].Key).IsEqualTo("B");
        await Assert.That(set.Pairs[1].Key).IsEqualTo("a");
        await Assert.That(set.Pairs[2].Key).IsEqualTo("b");
    }

    [Test]
    [Arguments("a", true, "3")]
    [Arguments("b", true, "2")]
    [Arguments("c", false, "")]
    public async Task TryGetValue_Key_FindsByBinarySearch(string key, bool found, string value)
    {
        var set = LabelSet.From([new("b", "2"), new("a", "3")]);

        await Assert.That(set.TryGetValue(key, out var actual)).IsEqualTo(found);
        await Assert.That(actual).IsEqualTo(value);
    }
}
