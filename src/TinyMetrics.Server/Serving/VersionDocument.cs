using TinyMetrics.Configuration;

namespace TinyMetrics.Serving;

/// <summary>/version: the Kubernetes library level upstream reports, with our own git version.</summary>
internal static class VersionDocument
{
    public static readonly byte[] Json = System.Text.Encoding.UTF8.GetBytes(
        $$"""{"major":"1","minor":"36","gitVersion":"{{BuildInfo.Version}}","gitCommit":"","gitTreeState":"clean","buildDate":"","goVersion":"","compiler":"dotnet-aot","platform":"linux/{{System.Runtime.InteropServices.RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}}"}""");
}
