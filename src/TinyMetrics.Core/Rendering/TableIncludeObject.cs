namespace TinyMetrics.Rendering;

/// <summary>The <c>includeObject</c> query parameter of a Table request; Metadata is the default.</summary>
public enum TableIncludeObject
{
    Metadata,
    Object,
    None,
}
