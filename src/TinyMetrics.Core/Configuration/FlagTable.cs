namespace TinyMetrics.Configuration;

// Every flag metrics-server accepts (reference §1), in its --help sections and order.
internal static partial class FlagTable
{
    public static readonly FlagSection[] Sections =
    [
        new("Metrics server flags", MetricsServer()),
        new("Kubelet client flags", KubeletClient()),
        new("Apiserver secure serving flags", SecureServing()),
        new("Apiserver authentication flags", Authentication()),
        new("Apiserver authorization flags", Authorization()),
        new("Apiserver audit log flags", Audit()),
        new("Features flags", Features()),
        new("Generic flags", Generic()),
        new("Logging flags", Logging()),
    ];

    private static readonly Dictionary<string, FlagSpec> ByName = IndexByName();

    public static FlagSpec? Find(string name) => ByName.GetValueOrDefault(name);

    public static FlagSpec? FindShorthand(char shorthand)
    {
        foreach (var section in Sections)
        {
            foreach (var flag in section.Flags)
            {
                if (flag.Shorthand == shorthand)
                    return flag;
            }
        }
        return null;
    }

    private static Dictionary<string, FlagSpec> IndexByName()
    {
        var index = new Dictionary<string, FlagSpec>(StringComparer.Ordinal);
        foreach (var section in Sections)
        {
            foreach (var flag in section.Flags)
                index.Add(flag.Name, flag);
        }
        return index;
    }
}
