using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TinyMetrics.Configuration;
using TinyMetrics.Kube;

namespace TinyMetrics.Security.Tests;

/// <summary>Where the client CA and request-header settings come from: flags, else the authentication ConfigMap, followed over time.</summary>
public sealed class AuthenticationConfigSourceTests : IAsyncDisposable
{
    private readonly OpenSslCertificates _certs = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private FakeKubeApi _api = null!;
    private KubeReviewClient? _client;

    private async Task<KubeReviewClient> ClientAsync()
    {
        _certs.CreateCa("front-proxy-ca");
        _certs.CreateCa("client-ca");
        _api = await FakeKubeApi.StartAsync(_certs);
        _client = new KubeReviewClient(KubeConnection.Load(_api.WriteKubeconfig(), TimeProvider.System));
        return _client;
    }

    private static ServerOptions Options(params string[] flags)
    {
        var parsed = FlagParser.Parse(flags);
        return parsed.Options ?? throw new InvalidOperationException(parsed.Text);
    }

    private static readonly TimeSpan FileCheck = TimeSpan.FromSeconds(5);

    private AuthenticationConfigSource Start(ServerOptions options) =>
        AuthenticationConfigSource.Start(options, _client, _time, FileCheck, NullLogger.Instance);

    [Test]
    public async Task Start_NoFlags_TakesBothCasAndHeadersFromTheConfigMap()
    {
        await ClientAsync();
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), _certs.PathOf("front-proxy-ca.crt"));

        using var source = Start(Options());

        var current = source.Current;
        await Assert.That(current.ClientCa!.Count).IsEqualTo(1);
        await Assert.That(current.ClientCa[0].Subject).IsEqualTo("CN=client-ca");
        await Assert.That(current.RequestHeader.ClientCa![0].Subject).IsEqualTo("CN=front-proxy-ca");
        await Assert.That(current.RequestHeader.AllowedNames).IsEquivalentTo(["front-proxy-client"]);
        await Assert.That(current.RequestHeader.UsernameHeaders).IsEquivalentTo(["X-Remote-User"]);
    }

    [Test]
    public async Task Refresh_ConfigMapChanged_IsFollowed()
    {
        await ClientAsync();
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(null, _certs.PathOf("front-proxy-ca.crt"));
        using var source = Start(Options());
        var before = source.Current;

        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), _certs.PathOf("front-proxy-ca.crt"), "[\"aggregator\"]");
        await source.RefreshAsync();

        await Assert.That(before.ClientCa).IsNull();
        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
        await Assert.That(source.Current.RequestHeader.AllowedNames).IsEquivalentTo(["aggregator"]);
    }

    [Test]
    public async Task Timer_EveryTenSeconds_RefreshesFromTheConfigMap()
    {
        await ClientAsync();
        using var source = Start(Options());
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), null);

        _time.Advance(AuthenticationConfigSource.RefreshInterval);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Current.ClientCa is null && DateTime.UtcNow < deadline)
            await Task.Delay(20);

        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
        await Assert.That(_api.ConfigMapReads).IsEqualTo(2);
    }

    [Test]
    public async Task Refresh_ConfigMapUnchanged_KeepsThePublishedConfiguration()
    {
        await ClientAsync();
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), _certs.PathOf("front-proxy-ca.crt"));
        using var source = Start(Options());
        var before = source.Current;

        await source.RefreshAsync();

        // The same instance: connections keep their cached certificate verdicts.
        await Assert.That(source.Current).IsSameReferenceAs(before);
        await Assert.That(_api.ConfigMapReads).IsEqualTo(2);
    }

    [Test]
    public async Task Refresh_ApiFailsLater_KeepsTheLastGoodConfiguration()
    {
        await ClientAsync();
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), null);
        using var source = Start(Options());

        _api.ConfigMapFailure = 500;
        await source.RefreshAsync();

        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
    }

    [Test]
    public async Task Start_RequestHeaderFlagGiven_HeadersFromFlagsClientCaFromConfigMap()
    {
        await ClientAsync();
        _api.ConfigMapData = FakeKubeApi.ConfigMapDataFor(_certs.PathOf("client-ca.crt"), _certs.PathOf("client-ca.crt"), "[\"from-configmap\"]");

        using var source = Start(Options($"--requestheader-client-ca-file={_certs.PathOf("front-proxy-ca.crt")}", "--requestheader-allowed-names=from-flag"));

        await Assert.That(source.Current.RequestHeader.ClientCa![0].Subject).IsEqualTo("CN=front-proxy-ca");
        await Assert.That(source.Current.RequestHeader.AllowedNames).IsEquivalentTo(["from-flag"]);
        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
    }

    [Test]
    [Arguments("--authentication-skip-lookup")]
    [Arguments("--client-ca-file")]
    public async Task Start_LookupNotNeeded_DoesNotReadTheConfigMap(string flag)
    {
        await ClientAsync();
        string[] flags = flag == "--client-ca-file"
            ? [$"--client-ca-file={_certs.PathOf("client-ca.crt")}", $"--requestheader-client-ca-file={_certs.PathOf("front-proxy-ca.crt")}"]
            : [flag];

        using var source = Start(Options(flags));
        await source.RefreshAsync();

        await Assert.That(_api.ConfigMapReads).IsEqualTo(0);
    }

    [Test]
    public async Task Start_ConfigMapForbidden_FailsUnlessTolerated()
    {
        await ClientAsync();
        _api.ConfigMapFailure = 403;

        var failure = Assert.Throws<InvalidDataException>(() => Start(Options()));
        using var tolerated = Start(Options("--authentication-tolerate-lookup-failure"));

        await Assert.That(failure.Message).StartsWith("unable to load configmap based request-header-client-ca-file");
        await Assert.That(tolerated.Current.ClientCa).IsNull();
        await Assert.That(tolerated.Current.RequestHeader.ClientCa).IsNull();
    }

    [Test]
    public async Task Start_ConfigMapMissing_StartsWithoutCas()
    {
        await ClientAsync();

        using var source = Start(Options());

        await Assert.That(source.Current.ClientCa).IsNull();
        await Assert.That(_api.ConfigMapReads).IsEqualTo(1);
    }

    [Test]
    public async Task FileCheck_ClientCaFileReplaced_IsReloadedWithoutTheConfigMap()
    {
        await ClientAsync();
        var file = _certs.PathOf("rotating-ca.crt");
        File.Copy(_certs.PathOf("client-ca.crt"), file);
        using var source = Start(Options($"--client-ca-file={file}", $"--requestheader-client-ca-file={_certs.PathOf("front-proxy-ca.crt")}"));
        var before = source.Current;

        // Same size, same mtime would not matter: content is compared.
        File.Copy(_certs.PathOf("front-proxy-ca.crt"), file, overwrite: true);
        _time.Advance(FileCheck);

        await Assert.That(before.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=front-proxy-ca");
        await Assert.That(_api.ConfigMapReads).IsEqualTo(0);
    }

    [Test]
    public async Task FileCheck_RequestHeaderCaBecomesABundle_TrustsBothUntilTheOldIsDropped()
    {
        await ClientAsync();
        var file = _certs.PathOf("rotating-front-proxy-ca.crt");
        File.Copy(_certs.PathOf("front-proxy-ca.crt"), file);
        using var source = Start(Options($"--requestheader-client-ca-file={file}", "--authentication-skip-lookup"));

        await File.WriteAllTextAsync(file, await File.ReadAllTextAsync(_certs.PathOf("client-ca.crt")) + await File.ReadAllTextAsync(_certs.PathOf("front-proxy-ca.crt")));
        _time.Advance(FileCheck);
        var during = source.Current.RequestHeader.ClientCa!;
        File.Copy(_certs.PathOf("client-ca.crt"), file, overwrite: true);
        _time.Advance(FileCheck);
        var after = source.Current.RequestHeader.ClientCa!;

        await Assert.That(during.Select(c => c.Subject)).IsEquivalentTo(["CN=client-ca", "CN=front-proxy-ca"]);
        await Assert.That(after.Select(c => c.Subject)).IsEquivalentTo(["CN=client-ca"]);
    }

    [Test]
    public async Task FileCheck_CaFileHalfWritten_KeepsTheLastGoodBundle()
    {
        await ClientAsync();
        var file = _certs.PathOf("torn-ca.crt");
        File.Copy(_certs.PathOf("client-ca.crt"), file);
        using var source = Start(Options($"--client-ca-file={file}", "--authentication-skip-lookup"));

        var pem = await File.ReadAllTextAsync(_certs.PathOf("front-proxy-ca.crt"));
        await File.WriteAllTextAsync(file, pem[..(pem.Length / 2)]);
        _time.Advance(FileCheck);

        await Assert.That(source.Current.ClientCa![0].Subject).IsEqualTo("CN=client-ca");
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_api is not null)
            await _api.DisposeAsync();
        _certs.Dispose();
    }
}
