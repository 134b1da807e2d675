using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TinyMetrics.Simulator.Api.Tests;

/// <summary>
/// Stands in for TinyMetrics behind the aggregation proxy: requires a client certificate and echoes what it
/// received (headers, query, client certificate subject) as JSON; <c>…/teapot</c> answers 418.
/// </summary>
public sealed class FakeMetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMetricsServer(WebApplication app, Uri uri)
    {
        _app = app;
        Uri = uri;
    }

    public Uri Uri { get; }

    /// <summary>Served verbatim for <c>GET /apis/metrics.k8s.io/v1beta1/nodes</c> when set (lets the real kubectl top run).</summary>
    public string? NodeMetricsJson { get; set; }

    public static async Task<FakeMetricsServer> StartAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-metrics-server", key, HashAlgorithmName.SHA256);
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = cert,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        })));
        var app = builder.Build();
        FakeMetricsServer? server = null;
        app.Run(context => server!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeMetricsServer(app, new Uri(address));
        return server;
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        context.Response.ContentType = "application/json";
        if (path == "/apis/metrics.k8s.io/v1beta1")
        {
            return context.Response.WriteAsync("""
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"metrics.k8s.io/v1beta1","resources":[
                {"name":"nodes","singularName":"","namespaced":false,"kind":"NodeMetrics","verbs":["get","list"]},
                {"name":"pods","singularName":"","namespaced":true,"kind":"PodMetrics","verbs":["get","list"]}]}
                """);
        }
        if (path == "/apis/metrics.k8s.io/v1beta1/nodes" && NodeMetricsJson is { } nodes)
            return context.Response.WriteAsync(nodes);
        return EchoAsync(context);
    }

    private static async Task EchoAsync(HttpContext context)
    {
        var request = context.Request;
        context.Response.StatusCode = request.Path.Value!.EndsWith("/teapot", StringComparison.Ordinal) ? 418 : 200;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("path", request.Path.Value);
        writer.WriteString("query", request.QueryString.Value);
        writer.WriteString("accept", request.Headers.Accept.ToString());
        writer.WriteString("authorization", request.Headers.Authorization.ToString());
        writer.WriteString("user", request.Headers["X-Remote-User"].ToString());
        writer.WriteStartArray("groups");
        foreach (var group in request.Headers["X-Remote-Group"])
            writer.WriteStringValue(group);
        writer.WriteEndArray();
        writer.WriteString("extra", request.Headers["X-Remote-Extra-Scopes"].ToString());
        writer.WriteString("client", context.Connection.ClientCertificate?.Subject);
        writer.WriteString("clientIssuer", context.Connection.ClientCertificate?.Issuer);
        writer.WriteEndObject();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
