namespace TinyMetrics.Configuration.Tests;

public class FlagParserHelpTests
{
    [Test]
    [Arguments("--help")]
    [Arguments("-h")]
    [Arguments("--secure-port=1 --help")]
    [Arguments("--help --metric-resolution=1s")]
    public async Task Parse_HelpFlag_ReturnsHelpText(string line)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Help);
        await Assert.That(result.Text).IsEqualTo(FlagParser.HelpText);
        await Assert.That(result.Options).IsNull();
    }

    [Test]
    public async Task Parse_HelpWithUnknownFlag_ErrorWins()
    {
        var result = FlagParser.Parse(["--help", "--nope"]);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Error);
    }

    [Test]
    [Arguments("--version")]
    [Arguments("--version=true")]
    [Arguments("--version --metric-resolution=1s")]
    public async Task Parse_VersionFlag_ReturnsVersionLineBeforeValidation(string line)
    {
        var result = FlagParser.Parse(FlagParserFormsTests.Split(line));

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Version);
        await Assert.That(result.Text).IsEqualTo("v0.1.0");
    }

    [Test]
    public async Task Parse_VersionFalse_Runs()
    {
        var result = FlagParser.Parse(["--version=false"]);

        await Assert.That(result.Kind).IsEqualTo(FlagParseKind.Run);
    }

    [Test]
    [Arguments("Usage:\n  tinymetrics [flags]\n")]
    [Arguments("\nMetrics server flags:\n\n  -h, --help                         Show this help and exit.\n")]
    [Arguments("      --kubeconfig string            Path to the kubeconfig")]
    [Arguments("      --metric-resolution duration   Interval between scrapes, which is also how long points are kept; at least 10s. (default 1m0s)\n")]
    [Arguments("      --version                      Show version and exit.\n")]
    [Arguments("\nKubelet client flags:\n\n")]
    [Arguments(" (default [Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP])\n")]
    [Arguments("      --kubelet-port int ")]
    [Arguments("must be positive. (default 10s)\n")]
    [Arguments("  -l, --node-selector string ")]
    [Arguments("      --kubelet-insecure-tls      ")]
    [Arguments("      --bind-address ip ")]
    [Arguments(" (default \"apiserver.local.config/certificates\")\n")]
    [Arguments(" (default 443)\n")]
    [Arguments(" (default [/healthz,/readyz,/livez])\n")]
    [Arguments(" (default [x-remote-user])\n")]
    [Arguments("      --profiling ")]
    [Arguments("[ignored] Serve /debug/pprof. (default true)\n")]
    [Arguments("  -v, --v Level ")]
    [Arguments("      --vmodule pattern=N,... ")]
    [Arguments(" (default \"text\")\n")]
    [Arguments("      --audit-webhook-batch-throttle-qps float32 ")]
    [Arguments("      --tls-sni-cert-key namedCertKey ")]
    public async Task HelpText_Layout_ContainsPflagStyleLine(string fragment)
    {
        await Assert.That(FlagParser.HelpText).Contains(fragment);
    }

    [Test]
    public async Task HelpText_EveryFlag_ListedOnceWithUsageColumnAlignedPerSection()
    {
        var lines = FlagParser.HelpText.Split('\n');
        var flagLines = 0;
        int? column = null;
        foreach (var line in lines)
        {
            if (line.EndsWith(" flags:", StringComparison.Ordinal))
                column = null;
            if (!line.StartsWith("  -", StringComparison.Ordinal) && !line.StartsWith("      --", StringComparison.Ordinal))
                continue;
            flagLines++;
            var usageStart = line.IndexOf("   ", 6, StringComparison.Ordinal);
            var usageColumn = usageStart + 3;
            while (line[usageColumn] == ' ')
                usageColumn++;
            column ??= usageColumn;
            await Assert.That(usageColumn).IsEqualTo(column.Value);
        }
        await Assert.That(flagLines).IsEqualTo(FlagTable.Sections.Sum(static s => s.Flags.Length));
        await Assert.That(flagLines).IsGreaterThan(100);
    }

    [Test]
    public async Task HelpText_ZeroDefaults_Omitted()
    {
        var kubeconfigLine = FlagParser.HelpText.Split('\n').Single(static l => l.Contains("--kubeconfig "));

        await Assert.That(kubeconfigLine).DoesNotContain("(default ");
    }
}
