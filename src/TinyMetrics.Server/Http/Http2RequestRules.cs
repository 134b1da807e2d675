using Microsoft.AspNetCore.Http.Features;

namespace TinyMetrics.Http;

/// <summary>
/// RFC 9113 §8.2.2 and §8.2.1: an HTTP/2 request with a connection-specific header, a TE other than
/// "trailers", or a field name that is not a lower-case token is malformed, and Go's HTTP/2 server
/// answers it with a stream error (RST_STREAM PROTOCOL_ERROR). Kestrel accepts these (it rejects only
/// upper-case names, with a connection error), so they are reset here, before any handler runs.
/// </summary>
internal static class Http2RequestRules
{
    private const int ProtocolError = 0x1;

    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpProtocol.IsHttp2(context.Request.Protocol) || IsWellFormed(context.Request.Headers))
            return next(context);
        var reset = context.Features.Get<IHttpResetFeature>();
        if (reset is null)
            return StatusWriter.WriteAsync(context, Rendering.KubeStatus.BadRequest("malformed HTTP/2 request"));
        reset.Reset(ProtocolError);
        return Task.CompletedTask;
    }

    // Every field name is checked, so the headers are enumerated: there is no keyed way to find a malformed name.
    // Through the interface, Kestrel hands out the enumerator box its header collection keeps and reuses, so a
    // request on a reused stream allocates nothing here; only a new stream object allocates one box (128 B, measured
    // by Http2RequestRulesTests), next to the stream itself.
    public static bool IsWellFormed(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            var name = header.Key;
            if (!IsToken(name) || IsConnectionSpecific(name))
                return false;
            if (name.Equals("te", StringComparison.OrdinalIgnoreCase) && (header.Value.Count > 1 || header.Value[0] is not ("trailers" or "")))
                return false;
        }
        return true;
    }

    // Go's x/net/http2 connHeaders.
    private static bool IsConnectionSpecific(string name) =>
        name.Equals("connection", StringComparison.OrdinalIgnoreCase) || name.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("proxy-connection", StringComparison.OrdinalIgnoreCase) || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("upgrade", StringComparison.OrdinalIgnoreCase);

    // RFC 9110 token characters. Upper case on the wire is Kestrel's own connection error already; here
    // it only appears in the canonical spelling Kestrel gives known headers, so it is allowed.
    private static bool IsToken(string name)
    {
        if (name.Length == 0)
            return false;
        foreach (var c in name)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
                or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
            if (!ok)
                return false;
        }
        return true;
    }
}
