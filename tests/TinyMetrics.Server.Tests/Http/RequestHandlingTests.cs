using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TinyMetrics.Tests;

namespace TinyMetrics.Http.Tests;

/// <summary>
/// Request handling as the generic apiserver's (issue 15), over real HTTPS against the real server, each
/// case on HTTP/1.1 and on HTTP/2, as the allowed front proxy with admin in system:masters unless a case
/// says otherwise. Expected answers are upstream's literal codes, reasons and messages.
/// </summary>
[NotInParallel("in-process-server")]
public sealed class RequestHandlingTests
{
    private const string V1Beta1 = "/apis/metrics.k8s.io/v1beta1";
    private static InProcessServer? s_server;

    [Before(Class)]
    public static async Task StartServer()
    {
        s_server = await InProcessServer.StartAsync();
        var certs = s_server.Certificates;
        certs.CreateIntermediate("front-proxy-int", "front-proxy-ca");
        certs.CreateIntermediate("client-int", "client-ca");
        certs.CreateLeaf("proxy-via-int", "front-proxy-int", "front-proxy-client");
        certs.CreateLeaf("stranger-via-int", "front-proxy-int", "not-the-proxy");
        certs.CreateLeaf("developer-via-int", "client-int", "developer", organization: "developers");
    }

    [After(Class)]
    public static async Task StopServer()
    {
        if (s_server is not null)
            await s_server.DisposeAsync();
    }

    public static IEnumerable<Func<Version>> Versions() => [() => HttpVersion.Version11, () => HttpVersion.Version20];

    // Item 1: every parameter takes its first value (Go's url.Values conversion), the later ones are ignored.
    // Item 5: list options decoded and validated as upstream's list handler.
    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task ListOptions_AsTheGenericApiserver(Version version)
    {
        (string Query, int Code, string? Message)[] cases =
        [
            ("?labelSelector=app%3Dweb&labelSelector=%21%21bad", 200, null),
            ("?fieldSelector=metadata.name%3Dn1&fieldSelector=spec.bogus%3Dx", 200, null),
            ("?labelSelector=%21%21bad&labelSelector=app%3Dweb", 400, null),
            ("?watch=false&watch=true", 200, null),
            ("?watch=FALSE", 200, null),
            ("?watch=0", 200, null),
            ("?watch=true&watch=false", 405, "watch is not supported on resources of kind \"nodes.metrics.k8s.io\""),
            ("?watch=xyz", 405, "watch is not supported on resources of kind \"nodes.metrics.k8s.io\""),
            ("?watch=t", 405, "watch is not supported on resources of kind \"nodes.metrics.k8s.io\""),
            ("?watch=", 405, "watch is not supported on resources of kind \"nodes.metrics.k8s.io\""),
            ("?limit=5&timeoutSeconds=30", 200, null),
            ("?limit=abc", 400, "strconv.ParseInt: parsing \"abc\": invalid syntax"),
            ("?limit=", 400, "strconv.ParseInt: parsing \"\": invalid syntax"),
            ("?limit=99999999999999999999", 400, "strconv.ParseInt: parsing \"99999999999999999999\": value out of range"),
            ("?limit=5&limit=abc", 200, null),
            ("?timeoutSeconds=abc", 400, "strconv.ParseInt: parsing \"abc\": invalid syntax"),
            ("?resourceVersionMatch=bogus", 422,
                "ListOptions.meta.k8s.io \"\" is invalid: [resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, "
                + "resourceVersionMatch: Unsupported value: \"bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"]"),
            ("?resourceVersion=0&resourceVersionMatch=NotOlderThan", 200, null),
            ("?resourceVersion=0&resourceVersionMatch=Exact", 422,
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
            ("?watch=true&resourceVersionMatch=NotOlderThan", 422,
                "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
        ];
        using var client = Client(version, "proxy");
        foreach (var (query, code, message) in cases)
        {
            var (status, body) = await SendAsync(client, HttpMethod.Get, V1Beta1 + "/nodes" + query, version);
            await Assert.That((int)status).IsEqualTo(code).Because(query + " → " + body);
            if (message is not null)
                await Assert.That(Message(body)).IsEqualTo(message).Because(query);
        }
    }

    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task ResourceVersionMatch_Invalid_HasUpstreamCauses(Version version)
    {
        using var client = Client(version, "proxy");

        var (status, body) = await SendAsync(client, HttpMethod.Get, V1Beta1 + "/pods?resourceVersionMatch=bogus", version);

        await Assert.That((int)status).IsEqualTo(422);
        using var json = JsonDocument.Parse(body);
        await Assert.That(json.RootElement.GetProperty("reason").GetString()).IsEqualTo("Invalid");
        await Assert.That(json.RootElement.GetProperty("details").GetRawText()).IsEqualTo(
            "{\"group\":\"meta.k8s.io\",\"kind\":\"ListOptions\",\"causes\":["
            + "{\"reason\":\"FieldValueForbidden\",\"message\":\"Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided\",\"field\":\"resourceVersionMatch\"},"
            + "{\"reason\":\"FieldValueNotSupported\",\"message\":\"Unsupported value: \\\"bogus\\\": supported values: \\\"Exact\\\", \\\"NotOlderThan\\\", \\\"\\\"\",\"field\":\"resourceVersionMatch\"}]}");
    }

    // A named get reads no list options, as upstream's GetResource: a watch or bad limit there is ignored.
    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task NamedGet_IgnoresListOptions(Version version)
    {
        using var client = Client(version, "proxy");

        var (status, body) = await SendAsync(client, HttpMethod.Get, V1Beta1 + "/nodes/missing?watch=true&limit=abc", version);

        await Assert.That(status).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(Message(body)).IsEqualTo("node \"missing\" not found");
    }

    // Item 5: authorization and serving agree, the verb asked about is the one served.
    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task Watch_AuthorizedAsWatchAndServedAsWatch(Version version)
    {
        (string Query, string Verb, int Code)[] cases =
        [
            ("?watch=t", "watch", 405), ("?watch=xyz", "watch", 405), ("?watch=false&watch=1", "list", 200),
            ("?limit=abc&fieldSelector=metadata.name%3Dn1", "list", 400), ("?fieldSelector=metadata.name%3Dn1", "list", 200),
        ];
        var n = 0;
        foreach (var (query, verb, code) in cases)
        {
            // One user per case: the authorizer's cache would otherwise answer without a review.
            using var client = Client(version, "proxy", group: null, user: $"watcher-{version.Major}-{n++}");
            s_server!.Api.AccessReviewSpecs.Clear();
            var (status, body) = await SendAsync(client, HttpMethod.Get, V1Beta1 + "/nodes" + query, version);
            await Assert.That((int)status).IsEqualTo(code).Because(query + " → " + body);
            await Assert.That(s_server.Api.AccessReviewSpecs.Single()).Contains($"\"verb\":\"{verb}\"").Because(query);
        }
    }

    // Item 5: routing keeps empty segments as authorization does (upstream's router and RequestInfo).
    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task Paths_EmptySegments_AsTheGenericApiserver(Version version)
    {
        (string Path, int Code)[] cases =
        [
            (V1Beta1 + "//nodes", 404), ("/apis//metrics.k8s.io/v1beta1/nodes", 404), (V1Beta1 + "/nodes/", 200),
        ];
        using var client = Client(version, "proxy");
        foreach (var (path, code) in cases)
        {
            var (status, body) = await SendAsync(client, HttpMethod.Get, path, version);
            await Assert.That((int)status).IsEqualTo(code).Because(path + " → " + body);
            if (code == 404)
                await Assert.That(Reason(body)).IsEqualTo("NotFound");
        }
    }

    // Item 2: methods are case-sensitive, "get" is no GET (Go's router: 405 MethodNotAllowed Status).
    // HttpClient upper-cases known methods, so these are written by hand.
    [Test]
    [Arguments("get", V1Beta1 + "/nodes", 405)]
    [Arguments("Get", V1Beta1, 405)]
    [Arguments("head", V1Beta1 + "/pods", 405)]
    [Arguments("GET", V1Beta1 + "/nodes", 200)]
    public async Task Methods_AreCaseSensitive(string method, string path, int code)
    {
        using var proxy = Certificate("proxy");
        var (h1, body) = await RawHttp.Http1Async(s_server!.Port, proxy,
            $"{method} {path} HTTP/1.1\r\nHost: localhost\r\nX-Remote-User: admin\r\nX-Remote-Group: system:masters\r\nConnection: close\r\n\r\n");
        await Assert.That(h1).IsEqualTo(code).Because(body);
        if (code == 405)
            await Assert.That(body).Contains("\"reason\":\"MethodNotAllowed\"");

        var h2 = await RawHttp.Http2Async(s_server.Port, proxy, (":method", method), (":scheme", "https"), (":authority", "localhost"),
            (":path", path), ("x-remote-user", "admin"), ("x-remote-group", "system:masters"));
        await Assert.That(h2).IsEqualTo("status " + code);
    }

    // Item 3: the first Authorization header only, split on single spaces as upstream's bearertoken
    // authenticator; a tab or two spaces leave no credential (anonymous, denied: 403).
    [Test]
    [Arguments("Bearer reader-token", null, 200)]
    [Arguments("Bearer reader-token", "Bearer wrong", 200)]
    [Arguments("Bearer wrong", "Bearer reader-token", 401)]
    [Arguments("bearer reader-token", null, 200)]
    [Arguments("Bearer\treader-token", null, 403)]
    [Arguments("Bearer  reader-token", null, 403)]
    [Arguments("Bearer reader-token extra", null, 200)]
    public async Task BearerTokens_AsTheGenericApiserver(string first, string? second, int code)
    {
        var extra = second is null ? "" : $"Authorization: {second}\r\n";
        var (h1, body) = await RawHttp.Http1Async(s_server!.Port, null,
            $"GET {V1Beta1}/nodes HTTP/1.1\r\nHost: localhost\r\nAuthorization: {first}\r\n{extra}Connection: close\r\n\r\n");
        await Assert.That(h1).IsEqualTo(code).Because(body);

        (string, string)[] headers = second is null
            ? [(":method", "GET"), (":scheme", "https"), (":authority", "localhost"), (":path", V1Beta1 + "/nodes"), ("authorization", first)]
            : [(":method", "GET"), (":scheme", "https"), (":authority", "localhost"), (":path", V1Beta1 + "/nodes"), ("authorization", first), ("authorization", second)];
        await Assert.That(await RawHttp.Http2Async(s_server.Port, null, headers)).IsEqualTo("status " + code);
    }

    // Item 7: malformed HTTP/2 requests (RFC 9113 §8.2.2) are never served. Those Kestrel lets through get
    // Go's stream error (RST_STREAM PROTOCOL_ERROR = 1); those Kestrel's own decoder refuses end the whole
    // connection (GOAWAY PROTOCOL_ERROR, or COMPRESSION_ERROR = 9 for an empty name), which cannot be shaped.
    [Test]
    [Arguments("transfer-encoding", "chunked", "RST_STREAM 1")]
    [Arguments("keep-alive", "timeout=5", "RST_STREAM 1")]
    [Arguments("proxy-connection", "close", "RST_STREAM 1")]
    [Arguments("upgrade", "h2c", "RST_STREAM 1")]
    [Arguments("x bad", "1", "RST_STREAM 1")]
    [Arguments("x:bad", "1", "RST_STREAM 1")]
    [Arguments("x(bad)", "1", "RST_STREAM 1")]
    [Arguments("connection", "close", "GOAWAY 1")]
    [Arguments("te", "gzip", "GOAWAY 1")]
    [Arguments("x\u00e9", "1", "GOAWAY 1")]
    [Arguments("", "1", "GOAWAY 9")]
    public async Task Http2_MalformedHeaders_AreStreamErrors(string name, string value, string expected)
    {
        using var proxy = Certificate("proxy");

        var answer = await RawHttp.Http2Async(s_server!.Port, proxy, (":method", "GET"), (":scheme", "https"), (":authority", "localhost"),
            (":path", V1Beta1 + "/nodes"), ("x-remote-user", "admin"), ("x-remote-group", "system:masters"), (name, value));

        await Assert.That(answer).IsEqualTo(expected);
    }

    // Kestrel's HPACK decoding refuses upper-case names itself, for the whole connection (Go: a stream error).
    [Test]
    public async Task Http2_UpperCaseHeaderName_IsAConnectionError()
    {
        using var proxy = Certificate("proxy");

        var answer = await RawHttp.Http2Async(s_server!.Port, proxy, (":method", "GET"), (":scheme", "https"), (":authority", "localhost"),
            (":path", V1Beta1 + "/nodes"), ("x-remote-user", "admin"), ("x-remote-group", "system:masters"), ("X-Upper", "1"));

        await Assert.That(answer).IsEqualTo("GOAWAY 1");
    }

    [Test]
    public async Task Http2_WellFormed_IsServed()
    {
        using var proxy = Certificate("proxy");

        var answer = await RawHttp.Http2Async(s_server!.Port, proxy, (":method", "GET"), (":scheme", "https"), (":authority", "localhost"),
            (":path", V1Beta1 + "/nodes"), ("x-remote-user", "admin"), ("x-remote-group", "system:masters"), ("te", "trailers"));

        await Assert.That(answer).IsEqualTo("status 200");
    }

    // Item 6: errors Kestrel raises before any middleware runs cannot carry a Status body; they are bounded
    // (a status line, Content-Length: 0) and close the connection. SECURITY.md lists them against upstream.
    [Test]
    [Arguments("nul", 400)]
    [Arguments("long-url", 414)]
    [Arguments("big-headers", 431)]
    [Arguments("absolute-form", 200)]
    public async Task ServerRaisedErrors_AreBoundedAndCloseTheConnection(string kind, int code)
    {
        using var proxy = Certificate("proxy");
        var auth = "X-Remote-User: admin\r\nX-Remote-Group: system:masters\r\n";
        var request = kind switch
        {
            "nul" => $"GET {V1Beta1}/nodes/node-0%00 HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n",
            "long-url" => $"GET {V1Beta1}/nodes?labelSelector={new string('a', 20_000)} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n",
            "big-headers" => $"GET {V1Beta1}/nodes HTTP/1.1\r\nHost: localhost\r\n{auth}X-Big: {new string('a', 1_100_000)}\r\nConnection: close\r\n\r\n",
            _ => $"GET https://localhost{V1Beta1}/nodes HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n",
        };

        var (status, body) = await RawHttp.Http1Async(s_server!.Port, proxy, request);

        await Assert.That(status).IsEqualTo(code).Because(body);
        if (code != 200)
            await Assert.That(body).IsEmpty();
    }

    // Smuggling (SECURITY.md hostile input): every status line on the connection is counted, so a request hidden in a
    // body that got answered fails; the read ends only when the server closes, so a connection left open fails too.
    [Test]
    [Arguments("pipelined", new[] { 200, 200 })]
    [Arguments("cl-and-te", new[] { 200 })]
    [Arguments("two-content-lengths", new[] { 400 })]
    [Arguments("content-length-list", new[] { 400 })]
    [Arguments("get-small-body", new[] { 200 })]
    [Arguments("get-body-over-cap", new[] { 200 })]
    [Arguments("te-gzip", new[] { 400 })]
    [Arguments("te-chunked-identity", new[] { 400 })]
    [Arguments("te-xchunked", new[] { 400 })]
    [Arguments("obs-fold", new[] { 400 })]
    public async Task SmugglingAttempts_AnswerOnlyTheFramedRequestAndClose(string kind, int[] codes)
    {
        using var proxy = Certificate("proxy");
        var head = $"GET {V1Beta1}/nodes HTTP/1.1\r\nHost: localhost\r\nX-Remote-User: admin\r\nX-Remote-Group: system:masters\r\n";
        var hidden = $"GET {V1Beta1}/pods HTTP/1.1\r\nHost: localhost\r\nX-Remote-User: admin\r\nX-Remote-Group: system:masters\r\nConnection: close\r\n\r\n";
        var chunkedHidden = "0\r\n\r\n" + hidden;
        var request = kind switch
        {
            "pipelined" => $"{head}\r\n{hidden}", // control: two framed requests, two answers, so the count can fail
            "cl-and-te" => $"{head}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n{chunkedHidden}",
            "two-content-lengths" => $"{head}Content-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\n12345{hidden}",
            "content-length-list" => $"{head}Content-Length: 5, 6\r\nConnection: close\r\n\r\n12345{hidden}",
            "get-small-body" => $"{head}Content-Length: {hidden.Length}\r\nConnection: close\r\n\r\n{hidden}",
            "get-body-over-cap" => $"{head}Content-Length: {64 * 1024 + hidden.Length}\r\nConnection: close\r\n\r\n{new string('a', 64 * 1024)}{hidden}",
            "te-gzip" => $"{head}Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{chunkedHidden}",
            "te-chunked-identity" => $"{head}Transfer-Encoding: chunked, identity\r\nConnection: close\r\n\r\n{chunkedHidden}",
            "te-xchunked" => $"{head}Transfer-Encoding: xchunked\r\nConnection: close\r\n\r\n{chunkedHidden}",
            _ => $"{head}X-Folded: a\r\n b\r\nConnection: close\r\n\r\n",
        };

        var received = await RawHttp.Http1AllAsync(s_server!.Port, proxy, request);

        await Assert.That(string.Join(",", received)).IsEqualTo(string.Join(",", codes));
    }

    // Item 4: leaf → intermediate → CA chains verify with the intermediates the peer sends; the CN allow-list applies to the leaf.
    [Test]
    [MethodDataSource(nameof(Versions))]
    public async Task ClientCertificateChains_WithIntermediate_AsGoVerifies(Version version)
    {
        (string Leaf, string? Intermediate, int Code)[] cases =
        [
            ("proxy-via-int", "front-proxy-int", 200),
            ("proxy-via-int", null, 401),
            ("stranger-via-int", "front-proxy-int", 401),
            ("developer-via-int", "client-int", 200),
            ("developer-via-int", null, 401),
            ("developer-via-int", "front-proxy-int", 401),
        ];
        foreach (var (leaf, intermediate, code) in cases)
        {
            using var client = Client(version, leaf, intermediate: intermediate);
            var (status, body) = await SendAsync(client, HttpMethod.Get, V1Beta1 + "/nodes", version);
            await Assert.That((int)status).IsEqualTo(code).Because($"{leaf} + {intermediate} → {body}");
        }
    }

    private static X509Certificate2 Certificate(string name)
    {
        var certs = s_server!.Certificates;
        using var pem = X509Certificate2.CreateFromPemFile(certs.PathOf(name + ".crt"), certs.PathOf(name + ".key"));
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static HttpClient Client(Version version, string? certificate, string? group = "system:masters", string user = "admin",
        string? intermediate = null)
    {
        var certs = s_server!.Certificates;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        if (certificate is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certs.PathOf(certificate + ".crt"), certs.PathOf(certificate + ".key"));
            var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            X509Certificate2Collection extra = intermediate is null ? [] : [X509CertificateLoader.LoadCertificateFromFile(certs.PathOf(intermediate + ".crt"))];
            handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(leaf, extra, offline: true);
        }
        var client = new HttpClient(handler)
        {
            BaseAddress = new Uri($"https://127.0.0.1:{s_server.Port}"),
            Timeout = TimeSpan.FromSeconds(20),
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (certificate is not null)
        {
            client.DefaultRequestHeaders.Add("X-Remote-User", user);
            if (group is not null)
                client.DefaultRequestHeaders.Add("X-Remote-Group", group);
        }
        return client;
    }

    private static async Task<(HttpStatusCode, string)> SendAsync(HttpClient client, HttpMethod method, string path, Version version)
    {
        using var request = new HttpRequestMessage(method, path) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await client.SendAsync(request);
        await Assert.That(response.Version).IsEqualTo(version);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Message(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("message").GetString()!;
    }

    private static string Reason(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("reason").GetString()!;
    }
}
