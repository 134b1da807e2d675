namespace TinyMetrics.Discovery.Tests;

/// <summary>JSON of Nodes and metadata-only Pods shaped like the API server's, for the fake API.</summary>
public static class KubeObjects
{
    private const string NodeTemplate = """
        {"kind":"Node","apiVersion":"v1","metadata":{"name":"@NAME","uid":"u-@NAME","resourceVersion":"@RV","labels":{@LABELS},
         "annotations":{"node.alpha.kubernetes.io/ttl":"0"},"managedFields":[{"manager":"kubelet","operation":"Update"}]},
         "spec":{"podCIDR":"10.244.0.0/24"},
         "status":{"capacity":{"cpu":"4"},"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"@READY","lastHeartbeatTime":"@BEAT"}],
          "addresses":[{"type":"InternalIP","address":"@IP"},{"type":"Hostname","address":"@NAME"}],
          "daemonEndpoints":{"kubeletEndpoint":{"Port":@PORT}}}}
        """;

    private const string PodTemplate = """
        {"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"@NAME","namespace":"@NS","resourceVersion":"@RV",
         "labels":{@LABELS},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-01-01T00:00:00Z"}}}
        """;

    public static string Node(string name, string rv = "1", string ip = "10.1.0.1", bool ready = true, string labels = "", int port = 10250, string? heartbeat = null) =>
        NodeTemplate.ReplaceLineEndings("")
            .Replace("@NAME", name).Replace("@RV", rv).Replace("@LABELS", labels).Replace("@READY", ready ? "True" : "False")
            .Replace("@BEAT", heartbeat ?? "2026-01-01T00:00:00Z").Replace("@IP", ip).Replace("@PORT", port.ToString());

    public static string Pod(string ns, string name, string rv = "1", string labels = "") =>
        PodTemplate.ReplaceLineEndings("").Replace("@NAME", name).Replace("@NS", ns).Replace("@RV", rv).Replace("@LABELS", labels);

    public static string Bookmark(string rv) =>
        """{"kind":"Node","apiVersion":"v1","metadata":{"resourceVersion":"@RV","annotations":{"k8s.io/initial-events-end":"true"}}}""".Replace("@RV", rv);

    public static string Gone() =>
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (2)","reason":"Expired","code":410}""";
}
