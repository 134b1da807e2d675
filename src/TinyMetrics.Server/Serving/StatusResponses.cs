namespace TinyMetrics.Serving;

/// <summary>Writes Kubernetes <c>Status</c> error bodies.</summary>
internal static class StatusResponses
{
    public static readonly StatusBody Unauthorized = new(401,
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"""u8.ToArray());

    public static Task WriteAsync(HttpContext context, StatusBody status)
    {
        context.Response.StatusCode = status.Code;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = status.Json.Length;
        return context.Response.Body.WriteAsync(status.Json).AsTask();
    }
}

internal sealed record StatusBody(int Code, byte[] Json);
