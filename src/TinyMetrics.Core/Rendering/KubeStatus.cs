using System.Buffers;
using System.Text.Json;

namespace TinyMetrics.Rendering;

/// <summary>
/// metav1.Status failure bodies with upstream's messages, reasons and details (apimachinery
/// <c>errors.NewNotFound</c>, <c>NewBadRequest</c>, <c>NewMethodNotSupported</c>, <c>NewForbidden</c>, …).
/// Field order: kind, apiVersion, metadata, status, message, reason, details, code.
/// </summary>
public static class KubeStatus
{
    private const string Group = "metrics.k8s.io";

    /// <summary>404 for a path no route serves.</summary>
    public static readonly StatusResponse PathNotFound =
        Create(404, "NotFound", "the server could not find the requested resource", new Details());

    /// <summary>401 from authentication, exactly as the generic apiserver words it.</summary>
    public static readonly StatusResponse Unauthorized = Create(401, "Unauthorized", "Unauthorized", null);

    /// <summary>Node Get of a name the cluster does not have (the node lister's NotFound).</summary>
    public static StatusResponse NodeNotFound(string name) => NotFound("node", "", name);

    /// <summary>Node Get of a node that exists but has no metrics.</summary>
    public static StatusResponse NodeMetricsNotFound(string name) => NotFound("nodemetrics", Group, name);

    /// <summary>Pod Get of an unknown or not Running pod (the metadata lister's NotFound).</summary>
    public static StatusResponse PodNotFound(string name) => NotFound("pods", "", name);

    /// <summary>Pod Get of a Running pod without metrics; upstream names it "namespace/name".</summary>
    public static StatusResponse PodMetricsNotFound(string ns, string name) => NotFound("podmetrics", Group, ns + "/" + name);

    /// <summary>405 for a verb other than get/list (the API has no writes).</summary>
    public static readonly StatusResponse MethodNotAllowed =
        Create(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new Details());

    /// <summary>406 when no Accept clause names a media type (or conversion) the endpoint can produce.</summary>
    public static readonly StatusResponse NotAcceptable = NotAcceptableBecause(
        "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf");

    /// <summary>406 with a transform's own message (PartialObjectMetadata of a list, …).</summary>
    public static StatusResponse NotAcceptableBecause(string message) => Create(406, "NotAcceptable", message, null);

    /// <summary>
    /// 504 when a request outlives --request-timeout or its ?timeout=: the timeout filter's
    /// errors.NewTimeoutError with no retry, so details are present and empty.
    /// </summary>
    public static readonly StatusResponse Timeout =
        Create(504, "Timeout", "Timeout: request did not complete within requested timeout - context deadline exceeded", new Details());

    public static StatusResponse BadRequest(string message) => Create(400, "BadRequest", message, null);

    /// <summary>405 for <c>?watch=true</c>; <paramref name="resource"/> is "nodes" or "pods".</summary>
    public static StatusResponse WatchNotSupported(string resource) =>
        Create(405, "MethodNotAllowed", $"watch is not supported on resources of kind \"{resource}.{Group}\"", new Details(Group: Group, Kind: resource));

    /// <summary>403 for an API resource; <paramref name="reason"/> is the authorizer's reason, appended when present.</summary>
    public static StatusResponse ForbiddenResource(string user, string verb, string resource, string? ns, string? name, string? reason = null)
    {
        var scope = string.IsNullOrEmpty(ns) ? "at the cluster scope" : $"in the namespace {Quote(ns)}";
        var why = $"User {Quote(user)} cannot {verb} resource {Quote(resource)} in API group {Quote(Group)} {scope}" + Reason(reason);
        var subject = string.IsNullOrEmpty(name) ? $"{resource}.{Group}" : $"{resource}.{Group} {Quote(name)}";
        return Create(403, "Forbidden", $"{subject} is forbidden: {why}", new Details(name, Group, resource));
    }

    /// <summary>403 for a non-resource path such as /metrics.</summary>
    public static StatusResponse ForbiddenPath(string user, string verb, string path, string? reason = null) =>
        Create(403, "Forbidden", $"forbidden: User {Quote(user)} cannot {verb} path {Quote(path)}" + Reason(reason), new Details());

    /// <summary>
    /// 422 for invalid options (errors.NewInvalid): the message aggregates every cause as "field: body",
    /// one alone or several in brackets, and the details list them.
    /// </summary>
    public static StatusResponse Invalid(string group, string kind, StatusCause[] causes)
    {
        var parts = new string[causes.Length];
        for (var i = 0; i < causes.Length; i++)
            parts[i] = causes[i].Field + ": " + causes[i].Message;
        var aggregate = parts.Length == 1 ? parts[0] : "[" + string.Join(", ", parts) + "]";
        return Create(422, "Invalid", $"{kind}.{group} \"\" is invalid: {aggregate}", new Details(Group: group, Kind: kind, Causes: causes));
    }

    public static StatusResponse ServiceUnavailable(string message) => Create(503, "ServiceUnavailable", message, null);

    public static StatusResponse InternalError(string message) =>
        Create(500, "InternalError", "Internal error occurred: " + message, new Details(Cause: message));

    private static StatusResponse NotFound(string resource, string group, string name)
    {
        var qualified = group.Length == 0 ? resource : resource + "." + group;
        return Create(404, "NotFound", $"{qualified} {Quote(name)} not found", new Details(name, group, resource));
    }

    private static string Reason(string? reason) => string.IsNullOrEmpty(reason) ? "" : ": " + reason;

    // Go's %q for the printable ASCII names Kubernetes allows.
    private static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static StatusResponse Create(int code, string reason, string message, Details? details)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonText.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("kind"u8, "Status"u8);
            writer.WriteString("apiVersion"u8, "v1"u8);
            writer.WriteStartObject("metadata"u8);
            writer.WriteEndObject();
            writer.WriteString("status"u8, "Failure"u8);
            writer.WriteString("message"u8, message);
            writer.WriteString("reason"u8, reason);
            if (details is { } d)
                WriteDetails(writer, d);
            writer.WriteNumber("code"u8, code);
            writer.WriteEndObject();
        }
        var proto = StatusProto.Render(code, reason, message, details?.Name, details?.Group, details?.Kind, details?.Cause, details is not null);
        return new StatusResponse(code, buffer.WrittenSpan.ToArray(), proto);
    }

    // StatusDetails: every field is omitempty, in the order name, group, kind, causes.
    private static void WriteDetails(Utf8JsonWriter writer, Details details)
    {
        writer.WriteStartObject("details"u8);
        if (!string.IsNullOrEmpty(details.Name))
            writer.WriteString("name"u8, details.Name);
        if (!string.IsNullOrEmpty(details.Group))
            writer.WriteString("group"u8, details.Group);
        if (!string.IsNullOrEmpty(details.Kind))
            writer.WriteString("kind"u8, details.Kind);
        if (details.Cause is not null)
        {
            writer.WriteStartArray("causes"u8);
            writer.WriteStartObject();
            writer.WriteString("message"u8, details.Cause);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        if (details.Causes is not null)
            WriteCauses(writer, details.Causes);
        writer.WriteEndObject();
    }

    // StatusCause: reason, message, field, each omitempty.
    private static void WriteCauses(Utf8JsonWriter writer, StatusCause[] causes)
    {
        writer.WriteStartArray("causes"u8);
        foreach (var cause in causes)
        {
            writer.WriteStartObject();
            writer.WriteString("reason"u8, cause.Reason);
            writer.WriteString("message"u8, cause.Message);
            writer.WriteString("field"u8, cause.Field);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private readonly record struct Details(string? Name = null, string? Group = null, string? Kind = null, string? Cause = null, StatusCause[]? Causes = null);
}

/// <summary>One metav1.StatusCause of an Invalid Status: its type (FieldValueForbidden …), message body and field path.</summary>
public readonly record struct StatusCause(string Reason, string Message, string Field);

/// <summary>An error answer: the HTTP status code, its compact metav1.Status JSON body and the same Status in protobuf.</summary>
public readonly record struct StatusResponse(int StatusCode, byte[] Body, byte[] Protobuf);
