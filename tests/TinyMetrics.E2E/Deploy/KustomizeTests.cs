using TinyMetrics.E2E.Infrastructure;
using TUnit.Assertions.Enums;

namespace TinyMetrics.E2E.Deploy;

/// <summary>`kubectl kustomize` of deploy/base and its overlays, with the objects each one must hold.</summary>
public sealed class KustomizeTests
{
    private static readonly string[] BaseObjects =
    [
        "APIService/v1.metrics.k8s.io",
        "APIService/v1beta1.metrics.k8s.io",
        "ClusterRole/system:aggregated-metrics-reader",
        "ClusterRole/system:metrics-server",
        "ClusterRoleBinding/metrics-server:system:auth-delegator",
        "ClusterRoleBinding/system:metrics-server",
        "Deployment/metrics-server",
        "RoleBinding/metrics-server-auth-reader",
        "Service/metrics-server",
        "ServiceAccount/metrics-server",
    ];

    [Test]
    public async Task Base_MetricsServersObjectsArgsProbesAndSizingRuleRequests()
    {
        var manifests = await KustomizeAsync("deploy/base");

        await Assert.That(manifests.Names()).IsEquivalentTo(BaseObjects);
        var deployment = manifests.Single("Deployment", "metrics-server");
        await Assert.That(deployment.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(deployment.Text("spec.selector.matchLabels")).IsEqualTo("""{"k8s-app":"metrics-server"}""");
        await Assert.That(deployment.Has("spec.replicas")).IsFalse();
        var container = manifests.Container();
        await Assert.That(container.Strings("args")).IsEquivalentTo(new[]
        {
            "--cert-dir=/tmp",
            "--secure-port=10250",
            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
            "--kubelet-use-node-status-port",
            "--metric-resolution=15s",
        }, CollectionOrdering.Matching);
        await Assert.That(container.Text("livenessProbe.httpGet")).IsEqualTo("""{"path":"/livez","port":"https","scheme":"HTTPS"}""");
        await Assert.That(container.Text("readinessProbe.httpGet")).IsEqualTo("""{"path":"/readyz","port":"https","scheme":"HTTPS"}""");
        await Assert.That(container.Text("resources")).IsEqualTo("""{"requests":{"cpu":"20m","memory":"64Mi"}}""");
        await Assert.That(container.Text("securityContext.runAsUser")).IsEqualTo("65532").Because("distroless nonroot is uid 65532");
        await Assert.That(manifests.Single("Service", "metrics-server").Text("spec.selector")).IsEqualTo("""{"k8s-app":"metrics-server"}""");
        await Assert.That(manifests.Single("ClusterRole", "system:metrics-server").Text("rules")).IsEqualTo(
            """[{"apiGroups":[""],"resources":["nodes/metrics","nodes/stats"],"verbs":["get"]},{"apiGroups":[""],"resources":["pods","nodes"],"verbs":["get","list","watch"]}]""");
        foreach (var (name, version, priority) in new[] { ("v1beta1.metrics.k8s.io", "v1beta1", 100), ("v1.metrics.k8s.io", "v1", 200) })
        {
            var spec = manifests.Single("APIService", name).At("spec");
            await Assert.That(spec.Text("group")).IsEqualTo("metrics.k8s.io");
            await Assert.That(spec.Text("version")).IsEqualTo(version);
            await Assert.That(spec.At("versionPriority").GetInt32()).IsEqualTo(priority);
            await Assert.That(spec.Text("insecureSkipTLSVerify")).IsEqualTo("true");
            await Assert.That(spec.Text("service")).IsEqualTo("""{"name":"metrics-server","namespace":"kube-system"}""");
        }
    }

    [Test]
    public async Task HighAvailability_TwoReplicasAntiAffinityAndPodDisruptionBudget()
    {
        var manifests = await KustomizeAsync("deploy/overlays/high-availability");

        await Assert.That(manifests.Names()).IsEquivalentTo(BaseObjects.Append("PodDisruptionBudget/metrics-server").ToArray());
        var deployment = manifests.Single("Deployment", "metrics-server");
        await Assert.That(deployment.At("spec.replicas").GetInt32()).IsEqualTo(2);
        await Assert.That(deployment.Text("spec.strategy.rollingUpdate.maxUnavailable")).IsEqualTo("1");
        await Assert.That(deployment.Text("spec.template.spec.affinity")).IsEqualTo(
            """{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"k8s-app":"metrics-server"}},"namespaces":["kube-system"],"topologyKey":"kubernetes.io/hostname"}]}}""");
        var pdb = manifests.Single("PodDisruptionBudget", "metrics-server");
        await Assert.That(pdb.Text("apiVersion")).IsEqualTo("policy/v1");
        await Assert.That(pdb.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(pdb.Text("spec")).IsEqualTo("""{"minAvailable":1,"selector":{"matchLabels":{"k8s-app":"metrics-server"}}}""");
        await Assert.That(manifests.Container().Text("resources")).IsEqualTo("""{"requests":{"cpu":"20m","memory":"64Mi"}}""");
    }

    [Test]
    public async Task HighAvailabilitySharded_ReplicasFromTheServiceWithMembershipAndPeerRbac()
    {
        var manifests = await KustomizeAsync("deploy/overlays/high-availability-sharded");

        await Assert.That(manifests.Names()).IsEquivalentTo(BaseObjects.Concat([
            "PodDisruptionBudget/metrics-server", "Role/metrics-server-replicas", "RoleBinding/metrics-server-replicas",
            "ClusterRole/system:metrics-server-peer", "ClusterRoleBinding/system:metrics-server-peer"]).ToArray());
        var container = manifests.Container();
        await Assert.That(container.Strings("args")).Contains("--replicas-from=metrics-server");
        await Assert.That(container.Strings("args")).Contains("--peer-ca-file=/tmp/tls-certs/ca.crt");
        await Assert.That(container.Text("env")).Contains("status.podIP");
        await Assert.That(manifests.Single("Role", "metrics-server-replicas").Text("rules")).IsEqualTo(
            """[{"apiGroups":["discovery.k8s.io"],"resources":["endpointslices"],"verbs":["list","watch"]}]""");
        await Assert.That(manifests.Single("ClusterRole", "system:metrics-server-peer").Text("rules")).IsEqualTo(
            """[{"nonResourceURLs":["/tinymetrics/peer-share"],"verbs":["get"]}]""");
        await Assert.That(manifests.Single("Deployment", "metrics-server").At("spec.replicas").GetInt32()).IsEqualTo(2);
    }

    [Test]
    public async Task Edge_EdgeRequestsAndControlPlaneTolerations()
    {
        var manifests = await KustomizeAsync("deploy/overlays/edge");

        await Assert.That(manifests.Names()).IsEquivalentTo(BaseObjects);
        var pod = manifests.Single("Deployment", "metrics-server").At("spec.template.spec");
        await Assert.That(pod.Text("tolerations")).IsEqualTo(
            """[{"key":"CriticalAddonsOnly","operator":"Exists"},{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane","operator":"Exists"},{"effect":"NoSchedule","key":"node-role.kubernetes.io/master","operator":"Exists"}]""");
        var container = manifests.Container();
        await Assert.That(container.Text("resources")).IsEqualTo("""{"requests":{"cpu":"11m","memory":"42Mi"}}""");
        // The patch touches only resources: the image, args and probes are the base's.
        await Assert.That(container.Text("image")).IsEqualTo("ghcr.io/tinymetrics/tinymetrics:v0.1.0");
        await Assert.That(container.Strings("args").Length).IsEqualTo(5);
        await Assert.That(container.Text("readinessProbe.httpGet.path")).IsEqualTo("/readyz");
        await Assert.That(container.At("volumeMounts").GetArrayLength()).IsEqualTo(1);
    }

    private static Task<Manifests> KustomizeAsync(string directory) =>
        Manifests.KustomizeAsync(Path.Combine(Artifacts.RepositoryRoot, directory));
}
