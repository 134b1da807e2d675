using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using TinyMetrics.Configuration;
using TinyMetrics.Security.Tests;
using TinyMetrics.Selectors;
using TinyMetrics.Tls;

namespace TinyMetrics.Tests;

/// <summary>
/// --secure-port=0 as the generic apiserver takes it: no secure serving at all (no SecureServingInfo), while the rest
/// runs. Kestrel left without an endpoint would listen on http://localhost:5000, so the server must not be Kestrel.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class SecurePortZeroTests
{
    [Test]
    public async Task Start_SecurePortZero_ListensNowhere()
    {
        using var certs = new OpenSslCertificates();
        await using var api = await FakeKubeApi.StartAsync(certs);
        var parsed = FlagParser.Parse([$"--kubeconfig={api.WriteKubeconfig()}", "--secure-port=0", $"--cert-dir={certs.PathOf("serving")}"]);
        LabelSelector.TryParse("", out var selector, out _);
        await using var app = ServerApp.Create(parsed.Options!, selector, TimeProvider.System);

        await app.StartAsync();

        var server = app.App.Services.GetRequiredService<IServer>();
        await Assert.That(server).IsTypeOf<NoListenerServer>();
        await Assert.That(server.Features.Get<IServerAddressesFeature>()).IsNull();
    }
}
