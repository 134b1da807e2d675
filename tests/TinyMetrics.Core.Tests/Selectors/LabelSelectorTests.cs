using TinyMetrics.Discovery;
using TinyMetrics.Rendering.Tests;

namespace TinyMetrics.Selectors.Tests;

public class LabelSelectorTests
{
    private static readonly LabelSet Web = LabelSet.From([new("app", "web"), new("tier", "front"), new("rank", "5")]);

    [Test]
    [Arguments("app=web", true)]
    [Arguments("app==web", true)]
    [Arguments("app=db", false)]
    [Arguments("app!=db", true)]
    [Arguments("app!=web", false)]
    [Arguments("missing!=x", true)]
    [Arguments("app in (db,web)", true)]
    [Arguments("app in (db)", false)]
    [Arguments("missing in (x)", false)]
    [Arguments("app notin (web)", false)]
    [Arguments("missing notin (x)", true)]
    [Arguments("app", true)]
    [Arguments("missing", false)]
    [Arguments("!missing", true)]
    [Arguments("!app", false)]
    [Arguments("  app = web ,  tier in ( front , back )  ", true)]
    [Arguments("app=web,tier=back", false)]
    [Arguments("rank>4", true)]
    [Arguments("rank<5", false)]
    [Arguments("app>1", false)]
    [Arguments("missing=", false)]
    [Arguments("", true)]
    [Arguments("in=x", false)]
    [Arguments("app in (in,web)", true)]
    public async Task Matches_Selector_FollowsKubernetesSemantics(string text, bool expected)
    {
        var parsed = LabelSelector.TryParse(text, out var selector, out var error);

        await Assert.That(error).IsNull();
        await Assert.That(parsed).IsTrue();
        await Assert.That(selector.Matches(Web)).IsEqualTo(expected);
    }

    [Test]
    public async Task Matches_EmptyValue_MatchesEmptyLabel()
    {
        LabelSelector.TryParse("node-role.kubernetes.io/control-plane=", out var selector, out _);

        await Assert.That(selector.Matches(Samples.ControlPlane.Labels)).IsTrue();
        await Assert.That(selector.Matches(LabelSet.Empty)).IsFalse();
    }

    [Test]
    [Arguments("found '=', expected: !, identifier, or 'end of string'", "=web")]
    [Arguments("found ',', expected: !, identifier, or 'end of string'", ",app")]
    [Arguments("found ',', expected: identifier after ','", "app=web,,x")]
    [Arguments("found 'b', expected: ',' or 'end of string'", "a=x b")]
    [Arguments("found '=', expected: ',' or 'end of string'", "!a=b")]
    [Arguments("unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, gt, lt", "a x")]
    [Arguments("unable to parse requirement: found 'x' expected: '('", "a in x")]
    [Arguments("unable to parse requirement: found ')' expected: '('", "a in )")]
    [Arguments("unable to parse requirement: found '(', expected: ',' or ')'", "a in (b (")]
    [Arguments("unable to parse requirement: found ')', expected: identifier", "a=)")]
    public async Task TryParse_SyntaxError_ReportsUpstreamMessage(string message, string text)
    {
        var parsed = LabelSelector.TryParse(text, out var selector, out var error);

        await Assert.That(parsed).IsFalse();
        await Assert.That(error).IsEqualTo(message);
        await Assert.That(selector.IsEmpty).IsTrue();
    }

    [Test]
    public async Task TryParse_InvalidKey_ReportsQualifiedNameRule()
    {
        LabelSelector.TryParse("-app=x", out _, out var error);

        await Assert.That(error).IsEqualTo(
            "unable to parse requirement: <nil>: Invalid value: \"-app\": name part must consist of alphanumeric characters, '-', '_' or '.', " +
            "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', " +
            "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
    }

    [Test]
    public async Task TryParse_UppercasePrefix_ReportsSubdomainRule()
    {
        LabelSelector.TryParse("Example.com/app", out _, out var error);

        await Assert.That(error).StartsWith("unable to parse requirement: <nil>: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain");
    }

    [Test]
    public async Task TryParse_KeyNameTooLong_ReportsLength()
    {
        LabelSelector.TryParse(new string('a', 64), out _, out var error);

        await Assert.That(error).IsEqualTo($"unable to parse requirement: <nil>: Invalid value: \"{new string('a', 64)}\": name part must be no more than 63 characters");
    }

    [Test]
    public async Task TryParse_InvalidValue_ReportsPathWithKey()
    {
        LabelSelector.TryParse("app in (ok,bad$)", out _, out var error);

        await Assert.That(error).IsEqualTo(
            "unable to parse requirement: values[0][app]: Invalid value: \"bad$\": a valid label must be an empty string or consist of " +
            "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or " +
            "'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }

    [Test]
    public async Task TryParse_GreaterThanNonInteger_Rejected()
    {
        LabelSelector.TryParse("rank>x", out _, out var error);

        await Assert.That(error).IsEqualTo("unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer");
    }

    [Test]
    public async Task And_TwoSelectors_RequiresBoth()
    {
        LabelSelector.TryParse("app=web", out var request, out _);
        LabelSelector.TryParse("skip!=true", out var nodeSelector, out _);
        var skipped = LabelSet.From([new("app", "web"), new("skip", "true")]);

        var both = request.And(nodeSelector);

        await Assert.That(both.Matches(Web)).IsTrue();
        await Assert.That(both.Matches(skipped)).IsFalse();
        await Assert.That(both.ToString()).IsEqualTo("app=web,skip!=true");
        await Assert.That(LabelSelector.Everything.And(request)).IsSameReferenceAs(request);
    }

    [Test]
    [Arguments("b=1, a in (y,x),!c", "a in (x,y),b=1,!c")]
    [Arguments("x in (,)", "x in ()")]
    [Arguments("  ", "")]
    public async Task ToString_Parsed_CanonicalForm(string text, string expected)
    {
        LabelSelector.TryParse(text, out var selector, out _);

        await Assert.That(selector.ToString()).IsEqualTo(expected);
    }
}
