namespace TinyMetrics.Selectors.Tests;

public class FieldSelectorTests
{
    [Test]
    [Arguments("metadata.name=web", "web", "default", true)]
    [Arguments("metadata.name==web", "web", "default", true)]
    [Arguments("metadata.name!=web", "web", "default", false)]
    [Arguments("metadata.namespace=default", "web", "default", true)]
    [Arguments("metadata.namespace=default,metadata.name=db", "web", "default", false)]
    [Arguments("metadata.namespace!=kube-system,metadata.name=web", "web", "default", true)]
    [Arguments("metadata.namespace=", "node1", null, true)]
    [Arguments("metadata.namespace=x", "node1", null, false)]
    [Arguments("metadata.name=a\\,b", "a,b", null, true)]
    [Arguments("", "x", null, true)]
    public async Task Matches_Selector_ComparesNameAndNamespace(string text, string name, string? ns, bool expected)
    {
        var parsed = FieldSelector.TryParse(text, out var selector, out var error);

        await Assert.That(error).IsNull();
        await Assert.That(parsed).IsTrue();
        await Assert.That(selector.Matches(name, ns)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("spec.nodeName=n1", "\"spec.nodeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [Arguments("metadata.name=a,status.phase!=Running", "\"status.phase\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")]
    [Arguments("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [Arguments("metadata.name=a=b", "invalid field selector: unescaped character in value: 61")]
    [Arguments("metadata.name=a\\b", "invalid field selector: invalid escape sequence: \\b")]
    public async Task TryParse_Invalid_ReportsUpstreamMessage(string text, string message)
    {
        var parsed = FieldSelector.TryParse(text, out var selector, out var error);

        await Assert.That(parsed).IsFalse();
        await Assert.That(error).IsEqualTo(message);
        await Assert.That(selector.IsEmpty).IsTrue();
    }
}
