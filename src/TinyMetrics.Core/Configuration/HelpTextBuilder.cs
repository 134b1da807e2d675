using System.Text;

namespace TinyMetrics.Configuration;

// Renders --help like metrics-server's cobra/pflag usage: sections of flags sorted by name, the usage
// column aligned per section, "(default x)" only for non-zero defaults.
internal static class HelpTextBuilder
{
    public static string Build()
    {
        var text = new StringBuilder()
            .Append("TinyMetrics serves the Kubernetes resource metrics API (metrics.k8s.io); a drop-in replacement for metrics-server.\n\n")
            .Append("Usage:\n  tinymetrics [flags]\n");
        foreach (var section in FlagTable.Sections)
        {
            text.Append('\n').Append(section.Title).Append(":\n\n");
            AppendSection(text, section.Flags);
        }
        return text.ToString();
    }

    private static void AppendSection(StringBuilder text, Flag[] flags)
    {
        var sorted = (Flag[])flags.Clone();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var width = 0;
        foreach (var flag in sorted)
            width = Math.Max(width, Prefix(flag).Length);
        foreach (var flag in sorted)
        {
            var prefix = Prefix(flag);
            text.Append(prefix).Append(' ', width - prefix.Length + 3).Append(flag.Usage);
            if (flag.DefaultText.Length > 0)
                text.Append(" (default ").Append(flag.DefaultText).Append(')');
            text.Append('\n');
        }
    }

    private static string Prefix(Flag flag)
    {
        var names = flag.Shorthand == '\0' ? "      --" + flag.Name : "  -" + flag.Shorthand + ", --" + flag.Name;
        return flag.TypeName.Length == 0 ? names : names + " " + flag.TypeName;
    }
}
