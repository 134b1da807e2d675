using TinyMetrics.Discovery;

namespace TinyMetrics.Simulator.Api.Tests;

public class LabelSelectorTests
{
    private static readonly LabelSet Labels = LabelSet.From(new Dictionary<string, string>
    {
        ["app"] = "web",
        ["tier"] = "front",
    });

    [Test]
    [Arguments("", true)]
    [Arguments("app=web", true)]
    [Arguments("app==web", true)]
    [Arguments("app=api", false)]
    [Arguments("app!=api", true)]
    [Arguments("app!=web", false)]
    [Arguments("app in (api, web)", true)]
    [Arguments("app notin (api,web)", false)]
    [Arguments("missing notin (x)", true)]
    [Arguments("tier", true)]
    [Arguments("!tier", false)]
    [Arguments("!missing", true)]
    [Arguments("app=web,tier=front", true)]
    [Arguments("app=web,tier=back", false)]
    public async Task Matches_Selector_FollowsKubernetesSemantics(string selector, bool expected)
    {
        var parsed = LabelSelector.TryParse(selector, out var labelSelector, out var error);

        await Assert.That(parsed).IsTrue().Because(error);
        await Assert.That(labelSelector.Matches(Labels)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("app in web")]
    [Arguments("=web")]
    [Arguments("a b=c")]
    public async Task TryParse_Malformed_Fails(string selector)
    {
        await Assert.That(LabelSelector.TryParse(selector, out _, out _)).IsFalse();
    }

    [Test]
    [Arguments("metadata.name=a", true, true)]
    [Arguments("metadata.name!=a", true, false)]
    [Arguments("metadata.namespace==ns,status.phase=Running", true, true)]
    [Arguments("spec.nodeName=other", true, false)]
    [Arguments("metadata.name=a", false, true)]
    public async Task FieldSelector_Matches(string selector, bool forPods, bool expected)
    {
        var parsed = FieldSelector.TryParse(selector, forPods, out var fields, out var error);
        var values = new Dictionary<string, string>
        {
            ["metadata.name"] = "a",
            ["metadata.namespace"] = "ns",
            ["status.phase"] = "Running",
            ["spec.nodeName"] = "n1",
        };

        await Assert.That(parsed).IsTrue().Because(error);
        await Assert.That(fields.Matches(f => values[f])).IsEqualTo(expected);
    }

    [Test]
    public async Task FieldSelector_UnsupportedField_FailsWithKubernetesMessage()
    {
        var parsed = FieldSelector.TryParse("status.podIP=1.2.3.4", forPods: true, out _, out var error);

        await Assert.That(parsed).IsFalse();
        await Assert.That(error).IsEqualTo("field label not supported: status.podIP");
    }
}
