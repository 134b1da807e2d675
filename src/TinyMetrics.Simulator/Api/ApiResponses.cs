using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TinyMetrics.Simulator.Api;

internal static class ApiResponses
{
    public const string Json = "application/json";

    public static async Task WriteAsync<T>(HttpContext context, int code, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = Json;
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    public static Task OkAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo) =>
        WriteAsync(context, StatusCodes.Status200OK, value, typeInfo);

    /// <summary>A metav1 Status failure, as kube-apiserver answers errors.</summary>
    public static Task StatusAsync(HttpContext context, int code, string reason, string message, StatusDetails? details = null) =>
        WriteAsync(context, code, Failure(code, reason, message, details), ApiJsonContext.Default.Status);

    public static Status Failure(int code, string reason, string message, StatusDetails? details = null) =>
        new() { Code = code, Reason = reason, Message = message, Details = details };

    public static Task NotFoundAsync(HttpContext context, string resource, string name) =>
        StatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"{resource} \"{name}\" not found",
            new StatusDetails { Name = name, Kind = resource });

    public static Task PathNotFoundAsync(HttpContext context) =>
        StatusAsync(context, StatusCodes.Status404NotFound, "NotFound", "the server could not find the requested resource");

    public static Task BadRequestAsync(HttpContext context, string message) =>
        StatusAsync(context, StatusCodes.Status400BadRequest, "BadRequest", message);
}
