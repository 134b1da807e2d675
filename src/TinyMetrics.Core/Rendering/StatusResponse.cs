namespace TinyMetrics.Rendering;

/// <summary>An error answer: the HTTP status code and its compact metav1.Status JSON body (application/json).</summary>
public readonly record struct StatusResponse(int StatusCode, byte[] Body);
