namespace TinyMetrics.Security;

/// <summary>The authenticated caller of a request, as the front proxy asserted it.</summary>
public sealed record RequestUser(string Name, string[] Groups, KeyValuePair<string, string[]>[] Extra);
