namespace TinyMetrics.Security.Tests;

/// <summary>The error the authentication line carries, as union's aggregate of its authenticators' errors reads.</summary>
public class AuthenticationChainTests
{
    [Test]
    [Arguments(null, null, "invalid bearer token", "invalid bearer token")]
    [Arguments("x509: certificate has expired", null, null, "x509: certificate has expired")]
    [Arguments(null, "x509: certificate signed by unknown authority", "invalid bearer token", "[x509: certificate signed by unknown authority, invalid bearer token]")]
    [Arguments("a", "b", "c", "[a, b, c]")]
    public async Task Aggregate_OneErrorAlone_SeveralBracketedInChainOrder(string? proxy, string? certificate, string? token, string expected)
    {
        await Assert.That(AuthenticationChain.Aggregate(proxy, certificate, token)).IsEqualTo(expected);
    }
}
