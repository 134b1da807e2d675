using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ZLogger;

namespace TinyMetrics.Telemetry.Tests;

/// <summary>Lines compared with klog's and component-base's output for the same calls, written out literally.</summary>
public class KlogFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 46, 41, TimeSpan.Zero);

    private static string Pid => Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(7);

    private static string Capture(bool json, int verbosity, Action<ILogger> log)
    {
        var stream = new MemoryStream();
        var time = new FakeTimeProvider(At.AddTicks(9_104_700));
        using (var factory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            builder.AddZLoggerStream(stream, options =>
            {
                options.TimeProvider = time;
                options.UseFormatter(() => new KlogFormatter(json, verbosity));
            });
        }))
        {
            log(factory.CreateLogger("Test"));
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Test]
    public async Task Text_ScrapeFailure_IsUpstreamsLine()
    {
        var line = Capture(json: false, 0, logger => logger.ScrapeFailed("node-3", "refused", "Get \"https://10.0.0.3:10250/metrics/resource\": connection refused"));

        await Assert.That(line).IsEqualTo($"E1202 03:46:41.910470 {Pid} scraper.go:149] \"Failed to scrape node\" err=\"Get \\\"https://10.0.0.3:10250/metrics/resource\\\": connection refused\" node=\"node-3\" reason=\"refused\"\n");
    }

    [Test]
    public async Task Json_ScrapeFailure_ErrLastWithoutV()
    {
        var line = Capture(json: true, 0, logger => logger.ScrapeFailed("node-3", "timeout", "boom"));

        await Assert.That(line).IsEqualTo("{\"ts\":1796183201910.47,\"caller\":\"scraper/scraper.go:149\",\"msg\":\"Failed to scrape node\",\"node\":{\"name\":\"node-3\"},\"reason\":\"timeout\",\"err\":\"boom\"}\n");
    }

    [Test]
    public async Task Text_InfoWithNumbersAndBools_BareValues()
    {
        var line = Capture(json: false, 0, logger => logger.Probe("metric-storage-ready", "no metrics to serve", 3, 1.5, true));

        await Assert.That(line).IsEqualTo($"I1202 03:46:41.910470 {Pid} server.go:192] \"Failed probe\" probe=\"metric-storage-ready\" err=\"no metrics to serve\" count=3 seconds=1.5 ready=true\n");
    }

    [Test]
    public async Task Json_Info_HasVAfterMsgAndKeysInOrder()
    {
        var line = Capture(json: true, 0, logger => logger.Probe("metric-storage-ready", "no metrics to serve", 3, 1.5, true));

        await Assert.That(line).IsEqualTo("{\"ts\":1796183201910.47,\"caller\":\"server/server.go:192\",\"msg\":\"Failed probe\",\"v\":0,\"probe\":\"metric-storage-ready\",\"err\":\"no metrics to serve\",\"count\":3,\"seconds\":1.5,\"ready\":true}\n");
    }

    [Test]
    public async Task Text_MultiLineValue_IndentedAsKlog()
    {
        var line = Capture(json: false, 0, logger => logger.Probe("a\"b", "line 1\nline 2", 0, 0, false));

        await Assert.That(line).EndsWith("\"Failed probe\" probe=\"a\\\"b\" err=<\n\tline 1\n\tline 2\n > count=0 seconds=0 ready=false\n");
    }

    [Test]
    public async Task Text_PrintfTemplate_Unquoted()
    {
        var line = Capture(json: false, 0, logger => logger.Serving("[::]:10250"));

        await Assert.That(line).IsEqualTo($"I1202 03:46:41.910470 {Pid} tinymetrics.go:5005] Serving securely on [::]:10250\n");
    }

    [Test]
    [Arguments(3, "")]
    [Arguments(4, "\"Failed to scrape node, node is not ready\" node=\"n1\"")]
    public async Task Verbosity_VFourEvent_PrintsOnlyFromVFour(int verbosity, string expected)
    {
        var line = Capture(json: false, verbosity, logger => logger.NotReady("n1"));

        await Assert.That(line.Length == 0 ? "" : line[(line.IndexOf("] ", StringComparison.Ordinal) + 2)..^1]).IsEqualTo(expected);
    }

    [Test]
    public async Task Text_ContainerUsageSkipped_IsPodStoragesErrorLine()
    {
        var line = Capture(json: false, 0, logger => logger.ContainerUsageSkipped("app", "team-a/web-1", "node-3", 2, "unexpected decrease in cumulative CPU usage value"));

        await Assert.That(line).IsEqualTo($"E1202 03:46:41.910470 {Pid} pod.go:74] \"Skipping container usage metric\" err=\"unexpected decrease in cumulative CPU usage value\" container=\"app\" pod=\"team-a/web-1\" node=\"node-3\" containers=2\n");
    }

    [Test]
    public async Task Json_ContainerUsageSkipped_PodAndNodeAreObjectReferences()
    {
        var line = Capture(json: true, 0, logger => logger.ContainerUsageSkipped("app", "team-a/web-1", "node-3", 2, "unexpected decrease in cumulative CPU usage value"));

        await Assert.That(line).IsEqualTo("{\"ts\":1796183201910.47,\"caller\":\"storage/pod.go:74\",\"msg\":\"Skipping container usage metric\",\"container\":\"app\",\"pod\":{\"name\":\"web-1\",\"namespace\":\"team-a\"},\"node\":{\"name\":\"node-3\"},\"containers\":2,\"err\":\"unexpected decrease in cumulative CPU usage value\"}\n");
    }

    [Test]
    public async Task Text_NodeUsageSkipped_IsNodeStoragesErrorLine()
    {
        var line = Capture(json: false, 0, logger => logger.NodeUsageSkipped("node-3", "unexpected decrease in cumulative CPU usage value"));

        await Assert.That(line).IsEqualTo($"E1202 03:46:41.910470 {Pid} node.go:54] \"Skipping node usage metric\" err=\"unexpected decrease in cumulative CPU usage value\" node=\"node-3\"\n");
    }

    [Test]
    [Arguments(0, 1, "")]
    [Arguments(1, 1, "scraping.go:2005] \"Dropped invalid kubelet samples\" node=\"node-3\" count=4")]
    [Arguments(1, 2, "")]
    [Arguments(2, 2, "scraping.go:2006] \"Dropped kubelet points not newer than the stored ones\" node=\"node-3\" count=4")]
    public async Task Verbosity_DroppedPoints_AtUpstreamsLevels(int verbosity, int kind, string expected)
    {
        var line = Capture(json: false, verbosity, logger =>
        {
            if (kind == 1)
                logger.InvalidSamplesDropped("node-3", 4);
            else
                logger.StalePointsDropped("node-3", 4);
        });

        await Assert.That(line.Length == 0 ? "" : line[(22 + Pid.Length + 1)..^1]).IsEqualTo(expected);
    }

    [Test]
    public async Task Text_AuthenticationError_IsTheApiserverFiltersLine()
    {
        var line = Capture(json: false, 0, logger => Security.SecurityLog.AuthenticationFailed(logger, "[x509: certificate signed by unknown authority, invalid bearer token]"));

        await Assert.That(line).IsEqualTo($"E1202 03:46:41.910470 {Pid} authentication.go:75] \"Unable to authenticate the request\" err=\"[x509: certificate signed by unknown authority, invalid bearer token]\"\n");
    }

    [Test]
    [Arguments(3, "")]
    [Arguments(4, "authorization.go:93] \"Forbidden\" URI=\"/apis/metrics.k8s.io/v1beta1/nodes?limit=500\" reason=\"\"")]
    public async Task Text_Forbidden_OnlyFromVFourAsTheAuthorizationFilter(int verbosity, string expected)
    {
        var line = Capture(json: false, verbosity, logger => Security.SecurityLog.Forbidden(logger, "/apis/metrics.k8s.io/v1beta1/nodes?limit=500", ""));

        await Assert.That(line.Length == 0 ? "" : line[(22 + Pid.Length + 1)..^1]).IsEqualTo(expected);
    }

    [Test]
    [Arguments(1, "")]
    [Arguments(2, "dynamic_serving_content.go:116] \"Loaded a new cert/key pair\" name=\"serving-cert::/certs/tls.crt::/certs/tls.key\"")]
    public async Task Text_CertKeyPairReload_AtVTwoAsDynamicCertificates(int verbosity, string expected)
    {
        var line = Capture(json: false, verbosity, logger => Tls.TlsLog.LoadedCertKeyPair(logger, "serving-cert::/certs/tls.crt::/certs/tls.key"));

        await Assert.That(line.Length == 0 ? "" : line[(22 + Pid.Length + 1)..^1]).IsEqualTo(expected);
    }

    [Test]
    public async Task Json_CaBundleReload_CallerAndVAsDynamicCertificates()
    {
        var line = Capture(json: true, 2, logger => Security.SecurityLog.LoadedCaBundle(logger, "request-header::/certs/front-proxy-ca.crt"));

        await Assert.That(line).IsEqualTo("{\"ts\":1796183201910.47,\"caller\":\"dynamiccertificates/dynamic_cafile_content.go:119\",\"msg\":\"Loaded a new CA Bundle and Verifier\",\"v\":2,\"name\":\"request-header::/certs/front-proxy-ca.crt\"}\n");
    }

    [Test]
    [Arguments("tab\there", "\"tab\\there\"")]
    [Arguments("bell\a", "\"bell\\a\"")]
    [Arguments("esc\u001b", "\"esc\\x1b\"")]
    [Arguments("nbsp\u00a0", "\"nbsp\\u00a0\"")]
    [Arguments("ümlaut", "\"ümlaut\"")]
    public async Task Quoted_AsGoStrconvQuote(string text, string expected)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        GoText.Quoted(buffer, text);

        await Assert.That(Encoding.UTF8.GetString(buffer.WrittenSpan)).IsEqualTo(expected);
    }
}

internal static partial class KlogTestLog
{
    [ZLoggerMessage(2001, LogLevel.Error, "Failed to scrape node {node} {reason} {err}")]
    public static partial void ScrapeFailed(this ILogger logger, string node, string reason, string err);

    [ZLoggerMessage(2003, LogLevel.Debug, "Failed to scrape node, node is not ready {node}")]
    public static partial void NotReady(this ILogger logger, string node);

    [ZLoggerMessage(2005, LogLevel.Debug, "Dropped invalid kubelet samples {node} {count}")]
    public static partial void InvalidSamplesDropped(this ILogger logger, string node, int count);

    [ZLoggerMessage(2006, LogLevel.Debug, "Dropped kubelet points not newer than the stored ones {node} {count}")]
    public static partial void StalePointsDropped(this ILogger logger, string node, int count);

    [ZLoggerMessage(2007, LogLevel.Error, "Skipping node usage metric {node} {err}")]
    public static partial void NodeUsageSkipped(this ILogger logger, string node, string err);

    [ZLoggerMessage(2008, LogLevel.Error, "Skipping container usage metric {container} {pod} {node} {containers} {err}")]
    public static partial void ContainerUsageSkipped(this ILogger logger, string container, string pod, string node, int containers, string err);

    [ZLoggerMessage(3003, LogLevel.Information, "Failed probe {probe} {err} {count} {seconds} {ready}")]
    public static partial void Probe(this ILogger logger, string probe, string err, int count, double seconds, bool ready);

    [ZLoggerMessage(5005, LogLevel.Information, "Serving securely on {endpoint}")]
    public static partial void Serving(this ILogger logger, string endpoint);
}
