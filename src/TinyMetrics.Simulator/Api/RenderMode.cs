namespace TinyMetrics.Simulator.Api;

/// <summary>What the Accept header asks for: the full object, metadata only, or a Table.</summary>
internal enum RenderMode
{
    Full,
    Metadata,
    Table,
}

internal static class RenderModes
{
    public static RenderMode FromAccept(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        if (accept.Contains("as=Table", StringComparison.Ordinal))
            return RenderMode.Table;
        return accept.Contains("as=PartialObjectMetadata", StringComparison.Ordinal) ? RenderMode.Metadata : RenderMode.Full;
    }
}
