using TinyMetrics.Rendering;

namespace TinyMetrics.Http;

/// <summary>Writes a Kubernetes <c>Status</c> error body.</summary>
internal static class StatusWriter
{
    public static Task WriteAsync(HttpContext context, StatusResponse status)
    {
        context.Response.StatusCode = status.StatusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = status.Body.Length;
        return context.Response.Body.WriteAsync(status.Body).AsTask();
    }
}
