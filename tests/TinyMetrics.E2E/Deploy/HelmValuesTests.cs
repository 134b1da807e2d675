using TUnit.Assertions.Enums;

namespace TinyMetrics.E2E.Deploy;

/// <summary>
/// Values files: the chart's high-availability values, and a values file written for metrics-server's chart,
/// which must render what it asks for with nothing changed.
/// </summary>
public sealed class HelmValuesTests
{
    [Test]
    public async Task HighAvailability_TwoReplicasOnDifferentNodesAndAPodDisruptionBudget()
    {
        var manifests = await Helm.TemplateAsync("--values", Helm.ChartFile("values-high-availability.yaml"));

        var deployment = manifests.Single("Deployment", "metrics-server");
        await Assert.That(deployment.At("spec.replicas").GetInt32()).IsEqualTo(2);
        await Assert.That(deployment.Text("spec.strategy")).IsEqualTo("""{"rollingUpdate":{"maxUnavailable":1},"type":"RollingUpdate"}""");
        await Assert.That(deployment.Text("spec.template.spec.affinity")).IsEqualTo(
            """{"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[{"labelSelector":{"matchLabels":{"app.kubernetes.io/name":"metrics-server"}},"topologyKey":"kubernetes.io/hostname"}]}}""");
        var pdb = manifests.Single("PodDisruptionBudget", "metrics-server");
        await Assert.That(pdb.Text("apiVersion")).IsEqualTo("policy/v1");
        await Assert.That(pdb.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(pdb.Text("spec")).IsEqualTo("""{"minAvailable":1,"selector":{"matchLabels":{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}}}""");
        await Assert.That(manifests.Container().Text("resources.requests")).IsEqualTo("""{"cpu":"20m","memory":"64Mi"}""");
        // Sharded replicas: membership from the Service's EndpointSlices, peers verified with the chart's CA.
        var args = manifests.Container().Strings("args");
        await Assert.That(args).Contains("--replicas-from=metrics-server");
        await Assert.That(args).Contains("--peer-ca-file=/tmp/tls-certs/ca.crt");
        await Assert.That(args).Contains("--peer-server-name=metrics-server.kube-system.svc");
        await Assert.That(manifests.Container().Text("env")).Contains("status.podIP");
        await Assert.That(manifests.Single("Role", "metrics-server-replicas").Text("rules")).IsEqualTo(
            """[{"apiGroups":["discovery.k8s.io"],"resources":["endpointslices"],"verbs":["list","watch"]}]""");
        await Assert.That(manifests.Single("ClusterRole", "system:metrics-server").Text("rules")).Contains("/tinymetrics/peer-share");
    }

    [Test]
    public async Task Defaults_NoHaArgsNoEndpointSliceRole()
    {
        var manifests = await Helm.TemplateAsync();

        await Assert.That(manifests.Container().Strings("args").Any(a => a.StartsWith("--replicas-from", StringComparison.Ordinal))).IsFalse();
        await Assert.That(manifests.Count("Role")).IsEqualTo(0);
        await Assert.That(manifests.Single("ClusterRole", "system:metrics-server").Text("rules")).DoesNotContain("peer-share");
    }

    [Test]
    public async Task PodDisruptionBudget_MaxUnavailableAndEvictionPolicy()
    {
        var manifests = await Helm.TemplateAsync("--set", "podDisruptionBudget.enabled=true", "--set", "podDisruptionBudget.maxUnavailable=0",
            "--set", "podDisruptionBudget.unhealthyPodEvictionPolicy=AlwaysAllow");

        await Assert.That(manifests.Single("PodDisruptionBudget", "metrics-server").Text("spec")).IsEqualTo(
            """{"maxUnavailable":0,"selector":{"matchLabels":{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}},"unhealthyPodEvictionPolicy":"AlwaysAllow"}""");
    }

    [Test]
    public async Task MetricsServerValuesFile_ContainerGetsItsArgsPortAndResources()
    {
        var manifests = await Helm.TemplateAsync("--values", Helm.TestFile("metrics-server-values.yaml"));
        var container = manifests.Container();

        await Assert.That(container.Strings("args")).IsEquivalentTo(new[]
        {
            "--secure-port=4443",
            "--cert-dir=/tmp",
            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
            "--kubelet-use-node-status-port",
            "--metric-resolution=15s",
            "--authorization-always-allow-paths=/metrics",
            "--kubelet-insecure-tls",
            "--kubelet-preferred-address-types=InternalIP",
        }, CollectionOrdering.Matching);
        await Assert.That(container.At("ports.0.containerPort").GetInt32()).IsEqualTo(4443);
        await Assert.That(container.Text("resources")).IsEqualTo("""{"limits":{"memory":"300Mi"},"requests":{"cpu":"50m","memory":"100Mi"}}""");
        await Assert.That(container.Text("image")).IsEqualTo("ghcr.io/tinymetrics/tinymetrics:v0.1.0");
    }

    [Test]
    public async Task MetricsServerValuesFile_PodSpecGetsItsSchedulingAndNetwork()
    {
        var manifests = await Helm.TemplateAsync("--values", Helm.TestFile("metrics-server-values.yaml"));
        var deployment = manifests.Single("Deployment", "metrics-server");
        var pod = deployment.At("spec.template.spec");

        await Assert.That(deployment.At("spec.replicas").GetInt32()).IsEqualTo(2);
        await Assert.That(deployment.At("spec.revisionHistoryLimit").GetInt32()).IsEqualTo(3);
        await Assert.That(deployment.Text("spec.strategy")).IsEqualTo("""{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}""");
        await Assert.That(deployment.Text("metadata.annotations")).IsEqualTo("""{"reloader.stakater.com/auto":"true"}""");
        await Assert.That(pod.Text("hostNetwork")).IsEqualTo("true");
        await Assert.That(pod.Text("priorityClassName")).IsEqualTo("system-node-critical");
        await Assert.That(pod.Text("nodeSelector")).IsEqualTo("""{"kubernetes.io/os":"linux"}""");
        await Assert.That(pod.Text("tolerations")).IsEqualTo(
            """[{"key":"CriticalAddonsOnly","operator":"Exists"},{"effect":"NoSchedule","key":"node-role.kubernetes.io/control-plane","operator":"Exists"}]""");
        await Assert.That(pod.Text("topologySpreadConstraints.0.topologyKey")).IsEqualTo("topology.kubernetes.io/zone");
        await Assert.That(deployment.Text("spec.template.metadata.labels")).IsEqualTo(
            """{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server","sidecar.istio.io/inject":"false"}""");
        await Assert.That(deployment.Text("spec.template.metadata.annotations")).IsEqualTo("""{"cluster-autoscaler.kubernetes.io/safe-to-evict":"true"}""");
        await Assert.That(deployment.Text("spec.selector.matchLabels")).IsEqualTo("""{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}""");
    }

    [Test]
    public async Task MetricsServerValuesFile_ApiServicesServiceAccountPdbAndServiceMonitor()
    {
        var manifests = await Helm.TemplateAsync("--values", Helm.TestFile("metrics-server-values.yaml"));

        foreach (var name in new[] { "v1beta1.metrics.k8s.io", "v1.metrics.k8s.io" })
        {
            var apiService = manifests.Single("APIService", name);
            await Assert.That(apiService.Text("spec.insecureSkipTLSVerify")).IsEqualTo("true");
            await Assert.That(apiService.Text("spec.service")).IsEqualTo("""{"name":"metrics-server","namespace":"kube-system","port":443}""");
            await Assert.That(apiService.At("metadata.labels").GetProperty("team").GetString()).IsEqualTo("platform");
        }
        await Assert.That(manifests.Single("ServiceAccount", "metrics-server").Text("metadata.annotations")).IsEqualTo(
            """{"eks.amazonaws.com/role-arn":"arn:aws:iam::111122223333:role/metrics-server"}""");
        await Assert.That(manifests.Single("PodDisruptionBudget", "metrics-server").At("spec.maxUnavailable").GetInt32()).IsEqualTo(1);
        var serviceLabels = manifests.Single("Service", "metrics-server").At("metadata.labels");
        await Assert.That(serviceLabels.GetProperty("kubernetes.io/cluster-service").GetString()).IsEqualTo("true");
        await Assert.That(serviceLabels.GetProperty("kubernetes.io/name").GetString()).IsEqualTo("Metrics-server");
        var monitor = manifests.Single("ServiceMonitor", "metrics-server");
        await Assert.That(monitor.At("metadata.labels").GetProperty("release").GetString()).IsEqualTo("kube-prometheus-stack");
        await Assert.That(monitor.Text("spec.endpoints.0.interval")).IsEqualTo("30s");
        await Assert.That(manifests.Count("Secret")).IsEqualTo(0);
    }

    [Test]
    public async Task AddonResizerEnabled_IgnoredWithANote()
    {
        var result = await Helm.RunAsync("install", Helm.Release, Helm.ChartPath, "--namespace", Helm.Namespace, "--dry-run=client",
            "--set", "addonResizer.enabled=true");

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(result.Output).Contains("addonResizer.enabled is ignored");
        await Assert.That(result.Output).Contains("cpu = 10m + 0.05m per node, memory = 40Mi + 180Ki per node");
        await Assert.That(result.Output).DoesNotContain("metrics-server-nanny");
    }
}
