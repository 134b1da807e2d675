namespace TinyMetrics.Discovery.Tests;

public class LabelSetInternerTests
{
    private static LabelSet Labels(string app) => LabelSet.From([new("app", app), new("pod-template-hash", "5d8f7c9b4")]);

    [Test]
    public async Task Intern_EqualContent_ReturnsTheFirstInstance()
    {
        var interner = new LabelSetInterner();
        var first = interner.Intern(Labels("web"));

        var second = interner.Intern(Labels("web"));

        await Assert.That(second).IsSameReferenceAs(first);
        await Assert.That(interner.Intern(Labels("api"))).IsNotSameReferenceAs(first);
    }

    [Test]
    public async Task Intern_Empty_ReturnsSharedEmpty()
    {
        var interner = new LabelSetInterner();

        await Assert.That(interner.Intern(LabelSet.From([]))).IsSameReferenceAs(LabelSet.Empty);
        await Assert.That(interner.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Intern_ManyDistinctSets_StaysBoundedAndKeepsRecentOnes()
    {
        var interner = new LabelSetInterner();
        var recent = interner.Intern(Labels("keep"));

        for (var i = 0; i < 10_000; i++)
        {
            interner.Intern(Labels("churn-" + i));
            if (i % 500 == 0)
                interner.Intern(Labels("keep"));
        }

        await Assert.That(interner.Count).IsLessThanOrEqualTo(3 * 1024);
        await Assert.That(interner.Intern(Labels("keep"))).IsSameReferenceAs(recent);
    }
}
