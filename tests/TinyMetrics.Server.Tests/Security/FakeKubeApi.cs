using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TinyMetrics.Security.Tests;

/// <summary>
/// A hand-written Kubernetes API server on a loopback port over TLS: TokenReview with a token table,
/// SubjectAccessReview with a policy tests set, and the authentication ConfigMap. It counts and keeps
/// every review it answers. Anything else is 404.
/// </summary>
public sealed class FakeKubeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _tokenReviews;
    private int _accessReviews;
    private int _configMapReads;

    private FakeKubeApi(WebApplication app, OpenSslCertificates certificates)
    {
        _app = app;
        Certificates = certificates;
    }

    public OpenSslCertificates Certificates { get; }

    public Uri Server { get; private set; } = null!;

    /// <summary>Token → (user, groups).</summary>
    public ConcurrentDictionary<string, (string User, string[] Groups)> Tokens { get; } = new()
    {
        ["reader-token"] = ("reader", ["readers"]),
        ["admin-token"] = ("admin", ["system:masters"]),
        ["unprivileged-token"] = ("unprivileged", []),
    };

    /// <summary>Users every review denies (other than health paths, which everyone may read, as system:public-info-viewer).</summary>
    public ConcurrentDictionary<string, bool> DeniedUsers { get; } = new() { ["system:anonymous"] = true, ["unprivileged"] = true };

    /// <summary>JSON object of the ConfigMap's data; null answers 404.</summary>
    public string? ConfigMapData { get; set; }

    /// <summary>When set, the ConfigMap GET answers this status instead.</summary>
    public int? ConfigMapFailure { get; set; }

    /// <summary>When true, both review APIs answer 500.</summary>
    public bool FailReviews { get; set; }

    /// <summary>While set, every SubjectAccessReview waits for it before answering (requests held inside the server).</summary>
    public TaskCompletionSource? HoldAccessReviews { get; set; }

    public int TokenReviews => Volatile.Read(ref _tokenReviews);

    public int AccessReviews => Volatile.Read(ref _accessReviews);

    public int ConfigMapReads => Volatile.Read(ref _configMapReads);

    /// <summary>The spec of every SubjectAccessReview received, as JSON.</summary>
    public ConcurrentQueue<string> AccessReviewSpecs { get; } = new();

    public static async Task<FakeKubeApi> StartAsync(OpenSslCertificates certificates)
    {
        if (!File.Exists(certificates.PathOf("fake-api-ca.crt")))
        {
            certificates.CreateCa("fake-api-ca");
            certificates.CreateLeaf("fake-api", "fake-api-ca", "fake-api", "serverAuth", subjectAltName: "IP:127.0.0.1");
        }
        using var pem = X509Certificate2.CreateFromPemFile(certificates.PathOf("fake-api.crt"), certificates.PathOf("fake-api.key"));
        var serving = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(serving)));
        var app = builder.Build();
        var api = new FakeKubeApi(app, certificates);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Server = new Uri(address);
        return api;
    }

    /// <summary>Writes a kubeconfig for this server (CA-verified, with a token) and returns its path.</summary>
    public string WriteKubeconfig(string name = "fake-api.kubeconfig")
    {
        var path = Certificates.PathOf(name);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {Server.AbsoluteUri.TrimEnd('/')}
                certificate-authority: {Certificates.PathOf("fake-api-ca.crt")}
            users:
            - name: u
              user:
                token: tinymetrics-sa-token
            contexts:
            - name: x
              context: {"{cluster: c, user: u}"}
            current-context: x
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        return (context.Request.Method, path) switch
        {
            ("POST", "/apis/authentication.k8s.io/v1/tokenreviews") => TokenReviewAsync(context),
            ("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews") => AccessReviewAsync(context),
            ("GET", "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication") => ConfigMapAsync(context),
            _ => WriteAsync(context, 404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}"""),
        };
    }

    private async Task TokenReviewAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenReviews);
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        if (FailReviews)
        {
            await WriteAsync(context, 500, "{}");
            return;
        }
        var token = body.RootElement.GetProperty("spec").GetProperty("token").GetString() ?? "";
        var status = Tokens.TryGetValue(token, out var who)
            ? "{\"authenticated\":true,\"user\":{\"username\":" + Json(who.User) + ",\"uid\":" + Json("uid-" + who.User) + ",\"groups\":[" + string.Join(',', who.Groups.Select(Json)) + "]}}"
            : """{"authenticated":false,"error":"token not known"}""";
        await WriteAsync(context, 201, $$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","status":{{status}}}""");
    }

    private async Task AccessReviewAsync(HttpContext context)
    {
        Interlocked.Increment(ref _accessReviews);
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var spec = body.RootElement.GetProperty("spec");
        AccessReviewSpecs.Enqueue(spec.GetRawText());
        if (HoldAccessReviews is { } hold)
            await hold.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (FailReviews)
        {
            await WriteAsync(context, 500, "{}");
            return;
        }
        var user = spec.TryGetProperty("user", out var u) ? u.GetString() ?? "" : "";
        var healthPath = spec.TryGetProperty("nonResourceAttributes", out var nr) && nr.GetProperty("path").GetString() is { } p
            && (p.StartsWith("/healthz", StringComparison.Ordinal) || p.StartsWith("/livez", StringComparison.Ordinal) || p.StartsWith("/readyz", StringComparison.Ordinal));
        var allowed = healthPath || (user.Length > 0 && !DeniedUsers.ContainsKey(user));
        var status = allowed ? """{"allowed":true,"reason":"fake allows"}""" : """{"allowed":false,"reason":"fake denies"}""";
        await WriteAsync(context, 201, $$"""{"apiVersion":"authorization.k8s.io/v1","kind":"SubjectAccessReview","status":{{status}}}""");
    }

    private Task ConfigMapAsync(HttpContext context)
    {
        Interlocked.Increment(ref _configMapReads);
        if (ConfigMapFailure is { } code)
            return WriteAsync(context, code, $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","code":{{code}}}""");
        if (ConfigMapData is not { } data)
            return WriteAsync(context, 404, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
        return WriteAsync(context, 200, $$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"extension-apiserver-authentication","namespace":"kube-system"},"data":{{data}}}""");
    }

    /// <summary>A ConfigMap data object in kube-apiserver's layout, with the PEM of the given CA files.</summary>
    public static string ConfigMapDataFor(string? clientCaFile, string? requestHeaderCaFile, string allowedNamesJson = "[\"front-proxy-client\"]")
    {
        var entries = new List<string>();
        if (clientCaFile is not null)
            entries.Add("\"client-ca-file\":" + Json(File.ReadAllText(clientCaFile)));
        if (requestHeaderCaFile is not null)
        {
            entries.Add("\"requestheader-client-ca-file\":" + Json(File.ReadAllText(requestHeaderCaFile)));
            entries.Add("\"requestheader-allowed-names\":" + Json(allowedNamesJson));
            entries.Add("\"requestheader-username-headers\":" + Json("[\"X-Remote-User\"]"));
            entries.Add("\"requestheader-group-headers\":" + Json("[\"X-Remote-Group\"]"));
            entries.Add("\"requestheader-extra-headers-prefix\":" + Json("[\"X-Remote-Extra-\"]"));
        }
        return "{" + string.Join(',', entries) + "}";
    }

    private static string Json(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            writer.WriteStringValue(value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Task WriteAsync(HttpContext context, int code, string json)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }
}
