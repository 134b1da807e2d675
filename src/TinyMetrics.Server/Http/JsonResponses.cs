namespace TinyMetrics.Http;

internal static class JsonResponses
{
    public static Task WriteAsync(HttpContext context, byte[] json, string contentType = "application/json")
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = json.Length;
        return context.Response.Body.WriteAsync(json).AsTask();
    }
}
