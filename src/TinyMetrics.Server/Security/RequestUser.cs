namespace TinyMetrics.Security;

/// <summary>The authenticated caller of a request: its name, groups and extra attributes.</summary>
public sealed record RequestUser(string Name, string[] Groups, KeyValuePair<string, string[]>[] Extra)
{
    /// <summary>The UID, when the authenticator knows one (TokenReview, --requestheader-uid-headers); else "".</summary>
    public string Uid { get; init; } = "";

    public const string AnonymousName = "system:anonymous";
    public const string UnauthenticatedGroup = "system:unauthenticated";
    public const string AuthenticatedGroup = "system:authenticated";

    public static readonly RequestUser Anonymous = new(AnonymousName, [UnauthenticatedGroup], []);

    /// <summary>Adds system:authenticated, as upstream's AuthenticatedGroupAdder, unless either marker group is present.</summary>
    public RequestUser WithAuthenticatedGroup()
    {
        foreach (var group in Groups)
        {
            if (group is AuthenticatedGroup or UnauthenticatedGroup)
                return this;
        }
        return this with { Groups = [.. Groups, AuthenticatedGroup] };
    }
}
