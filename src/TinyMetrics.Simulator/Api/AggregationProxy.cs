using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using TinyMetrics.Simulator.Certificates;

namespace TinyMetrics.Simulator.Api;

/// <summary>
/// What kube-aggregator does for an APIService: forward <c>/apis/metrics.k8s.io/{v1beta1,v1}/**</c> to the
/// metrics server over TLS with the front-proxy client certificate and the authenticated caller in
/// <c>X-Remote-User</c> and one <c>X-Remote-Group</c> line per group. The upstream certificate is not verified,
/// as with the default APIService's insecureSkipTLSVerify: true.
/// </summary>
/// <remarks>
/// A hand-written HTTP/1.1 exchange (one connection per request) because HttpClient folds repeated headers into
/// one comma-joined line, and Kubernetes' request-header authenticator reads every line as one group.
/// </remarks>
internal sealed class AggregationProxy : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Uri? _upstream;
    private readonly ClusterCertificates _certificates;

    public AggregationProxy(Uri? upstream, ClusterCertificates certificates)
    {
        _upstream = upstream;
        _certificates = certificates;
    }

    public static bool Handles(string path) =>
        IsUnder(path, "/apis/metrics.k8s.io/v1beta1") || IsUnder(path, "/apis/metrics.k8s.io/v1");

    public async Task ProxyAsync(HttpContext context, Caller caller)
    {
        if (_upstream is null)
        {
            await Unavailable(context);
            return;
        }
        try
        {
            await ExchangeAsync(context, caller);
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or InvalidDataException
            or FormatException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            if (context.Response.HasStarted)
                context.Abort();
            else
                await Unavailable(context);
        }
    }

    private async Task ExchangeAsync(HttpContext context, Caller caller)
    {
        var ct = context.RequestAborted;
        await using var stream = await ConnectAsync(ct);
        var body = await ReadRequestBodyAsync(context.Request, ct);
        await stream.WriteAsync(Encoding.Latin1.GetBytes(RequestHead(context.Request, caller, body.Length)), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
        var reader = new UpstreamReader(stream);
        var (ok, length, chunked) = await ForwardResponseHeadAsync(reader, context.Response, ct);
        if (!ok)
            throw new InvalidDataException("upstream sent no HTTP status line");
        await reader.CopyBodyAsync(context.Response.Body, length, chunked, ct);
    }

    /// <summary>
    /// One buffered GET of <paramref name="pathAndQuery"/> as kube-aggregator's OpenAPI downloader sends it (user
    /// system:aggregator in system:masters, Accept, If-None-Match); null when there is no metrics server or it is down.
    /// </summary>
    public async Task<UpstreamResponse?> FetchAsync(string pathAndQuery, string accept, string? ifNoneMatch, CancellationToken ct)
    {
        if (_upstream is null)
            return null;
        try
        {
            await using var stream = await ConnectAsync(ct);
            var head = new StringBuilder(256);
            head.Append("GET ").Append(pathAndQuery).Append(" HTTP/1.1\r\nHost: ").Append(_upstream.Authority).Append("\r\n");
            head.Append("Accept: ").Append(accept).Append("\r\n");
            if (ifNoneMatch is not null)
                head.Append("If-None-Match: ").Append(ifNoneMatch).Append("\r\n");
            head.Append("X-Remote-User: ").Append(Aggregator.User).Append("\r\nX-Remote-Group: system:masters\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), ct);
            await stream.FlushAsync(ct);
            var reader = new UpstreamReader(stream);
            var status = (await reader.ReadLineAsync(ct))?.Split(' ', 3);
            if (status is not { Length: >= 2 } || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                return null;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (await reader.ReadLineAsync(ct) is { Length: > 0 } line)
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            using var body = new MemoryStream();
            long? length = headers.TryGetValue("Content-Length", out var l) ? long.Parse(l, CultureInfo.InvariantCulture) : null;
            var chunked = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            if (code != StatusCodes.Status304NotModified)
                await reader.CopyBodyAsync(body, length, chunked, ct);
            return new UpstreamResponse(code, headers.GetValueOrDefault("ETag"), body.ToArray());
        }
        catch (Exception e) when (e is SocketException or IOException or AuthenticationException or InvalidDataException or FormatException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Who kube-aggregator is when it downloads an APIService's OpenAPI.</summary>
    public static Caller Aggregator { get; } = new("system:aggregator", ["system:masters"]);

    private async Task<SslStream> ConnectAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        // Loaded once per connection: a front-proxy rotation's switch applies from the next request on.
        var clientCertificate = _certificates.FrontProxyClient;
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(_upstream!.Host, _upstream.Port, timeout.Token);
            var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _upstream.Host,
                ClientCertificates = [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, timeout.Token);
            return ssl;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private string RequestHead(HttpRequest incoming, Caller caller, int bodyLength)
    {
        var head = new StringBuilder(512);
        head.Append(incoming.Method).Append(' ').Append(incoming.Path.Value).Append(incoming.QueryString.Value).Append(" HTTP/1.1\r\n");
        head.Append("Host: ").Append(_upstream!.Authority).Append("\r\n");
        AppendIfPresent(head, "Accept", incoming.Headers.Accept.ToString());
        AppendIfPresent(head, "User-Agent", incoming.Headers.UserAgent.ToString());
        AppendIfPresent(head, "Content-Type", incoming.ContentType);
        AppendIfPresent(head, "If-None-Match", incoming.Headers.IfNoneMatch.ToString());
        // Only the identity the proxy vouches for goes upstream: never the caller's token or X-Remote-* headers.
        head.Append("X-Remote-User: ").Append(caller.User).Append("\r\n");
        foreach (var group in caller.Groups)
            head.Append("X-Remote-Group: ").Append(group).Append("\r\n");
        if (bodyLength > 0)
            head.Append("Content-Length: ").Append(bodyLength.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");
        return head.ToString();
    }

    private static async Task<(bool Ok, long? Length, bool Chunked)> ForwardResponseHeadAsync(
        UpstreamReader reader, HttpResponse response, CancellationToken ct)
    {
        var status = await reader.ReadLineAsync(ct);
        var parts = status?.Split(' ', 3);
        if (parts is not { Length: >= 2 } || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return (false, null, false);
        response.StatusCode = code;
        long? length = null;
        var chunked = false;
        while (await reader.ReadLineAsync(ct) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                response.ContentType = value;
            else if (name.Equals("Content-Encoding", StringComparison.OrdinalIgnoreCase))
                response.Headers.ContentEncoding = value;
            else if (IsForwarded(name))
                response.Headers[name] = value;
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                length = long.Parse(value, CultureInfo.InvariantCulture);
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        }
        return (true, length, chunked);
    }

    private static async Task<byte[]> ReadRequestBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
            return [];
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static void AppendIfPresent(StringBuilder head, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.AsSpan().IndexOfAny('\r', '\n') < 0)
            head.Append(name).Append(": ").Append(value).Append("\r\n");
    }

    // Validators and caching headers pass through: the OpenAPI v3 documents' ETag, immutability and hash redirects.
    private static bool IsForwarded(string name) =>
        name.Equals("ETag", StringComparison.OrdinalIgnoreCase) || name.Equals("Cache-Control", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Expires", StringComparison.OrdinalIgnoreCase) || name.Equals("Location", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Vary", StringComparison.OrdinalIgnoreCase);

    private static Task Unavailable(HttpContext context) =>
        ApiResponses.StatusAsync(context, StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable", "service unavailable");

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    /// <summary>A buffered upstream answer: status, ETag and body.</summary>
    public sealed record UpstreamResponse(int Status, string? ETag, byte[] Body);

    public void Dispose()
    {
        // Connections live for one request each; nothing is pooled.
    }
}
