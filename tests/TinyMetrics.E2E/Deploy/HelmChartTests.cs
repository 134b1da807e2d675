using System.Text.Json;
using TUnit.Assertions.Enums;

namespace TinyMetrics.E2E.Deploy;

/// <summary>
/// The chart with its defaults, rendered by the real helm: the same objects, names, args, probes and RBAC
/// as metrics-server's chart renders for release metrics-server in kube-system, plus the v1 APIService.
/// </summary>
public sealed class HelmChartTests
{
    private static readonly string[] Labels = ["helm.sh/chart", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by"];

    [Test]
    [Arguments(null)]
    [Arguments("values-high-availability.yaml")]
    public async Task Lint_Strict_Passes(string? chartValues)
    {
        string[] values = chartValues is null ? [] : ["--values", Helm.ChartFile(chartValues)];

        var result = await Helm.RunAsync(["lint", "--strict", Helm.ChartPath, .. values]);

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
        await Assert.That(result.Output).Contains("1 chart(s) linted, 0 chart(s) failed");
    }

    [Test]
    public async Task Lint_MetricsServerValuesFile_Passes()
    {
        var result = await Helm.RunAsync("lint", "--strict", Helm.ChartPath, "--values", Helm.TestFile("metrics-server-values.yaml"));

        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.Output);
    }

    [Test]
    public async Task Template_Defaults_RendersMetricsServersObjectsAndBothApiServices()
    {
        var manifests = await Helm.TemplateAsync();

        await Assert.That(manifests.Names()).IsEquivalentTo(new[]
        {
            "APIService/v1.metrics.k8s.io",
            "APIService/v1beta1.metrics.k8s.io",
            "ClusterRole/system:metrics-server",
            "ClusterRole/system:metrics-server-aggregated-reader",
            "ClusterRoleBinding/metrics-server:system:auth-delegator",
            "ClusterRoleBinding/system:metrics-server",
            "Deployment/metrics-server",
            "RoleBinding/metrics-server-auth-reader",
            "Service/metrics-server",
            "ServiceAccount/metrics-server",
        });
        foreach (var item in manifests.Objects)
        {
            var labels = item.At("metadata.labels");
            foreach (var label in Labels)
                await Assert.That(labels.TryGetProperty(label, out _)).IsTrue().Because($"{item.Text("metadata.name")} lacks {label}");
            await Assert.That(labels.GetProperty("app.kubernetes.io/name").GetString()).IsEqualTo("metrics-server");
            await Assert.That(labels.GetProperty("helm.sh/chart").GetString()).IsEqualTo("tinymetrics-0.1.0");
        }
    }

    [Test]
    public async Task Template_Defaults_ContainerHasMetricsServersArgsAndTheSizingRuleRequests()
    {
        var manifests = await Helm.TemplateAsync();
        var deployment = manifests.Single("Deployment", "metrics-server");
        var container = manifests.Container();

        await Assert.That(deployment.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(deployment.At("spec.replicas").GetInt32()).IsEqualTo(1);
        await Assert.That(deployment.Has("spec.strategy")).IsFalse();
        await Assert.That(deployment.Has("spec.revisionHistoryLimit")).IsFalse();
        await Assert.That(deployment.Text("spec.selector.matchLabels")).IsEqualTo("""{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}""");
        await Assert.That(container.Text("name")).IsEqualTo("metrics-server");
        await Assert.That(container.Text("image")).IsEqualTo("ghcr.io/tinymetrics/tinymetrics:v0.1.0");
        await Assert.That(container.Text("imagePullPolicy")).IsEqualTo("IfNotPresent");
        await Assert.That(container.Strings("args")).IsEquivalentTo(new[]
        {
            "--secure-port=10250",
            "--cert-dir=/tmp",
            "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
            "--kubelet-use-node-status-port",
            "--metric-resolution=15s",
        }, CollectionOrdering.Matching);
        await Assert.That(container.Text("ports.0.name")).IsEqualTo("https");
        await Assert.That(container.At("ports.0.containerPort").GetInt32()).IsEqualTo(10250);
        await Assert.That(container.Text("resources")).IsEqualTo("""{"requests":{"cpu":"20m","memory":"64Mi"}}""");
        await Assert.That(container.Text("securityContext.readOnlyRootFilesystem")).IsEqualTo("true");
        await Assert.That(container.Text("securityContext.runAsUser")).IsEqualTo("65532").Because("distroless nonroot is uid 65532");
        await Assert.That(container.Strings("securityContext.capabilities.drop")).IsEquivalentTo(new[] { "ALL" });
        await Assert.That(container.Text("volumeMounts")).IsEqualTo("""[{"mountPath":"/tmp","name":"tmp"}]""");
        await Assert.That(deployment.Text("spec.template.spec.volumes")).IsEqualTo("""[{"emptyDir":{},"name":"tmp"}]""");
        await Assert.That(deployment.Text("spec.template.spec.serviceAccountName")).IsEqualTo("metrics-server");
        await Assert.That(deployment.Text("spec.template.spec.priorityClassName")).IsEqualTo("system-cluster-critical");
        await Assert.That(deployment.Has("spec.template.spec.hostNetwork")).IsFalse();
    }

    [Test]
    public async Task Template_Defaults_ProbesAreLivezAndReadyzOnHttps()
    {
        var container = (await Helm.TemplateAsync()).Container();

        await Assert.That(container.Text("livenessProbe")).IsEqualTo(
            """{"failureThreshold":3,"httpGet":{"path":"/livez","port":"https","scheme":"HTTPS"},"initialDelaySeconds":0,"periodSeconds":10}""");
        await Assert.That(container.Text("readinessProbe")).IsEqualTo(
            """{"failureThreshold":3,"httpGet":{"path":"/readyz","port":"https","scheme":"HTTPS"},"initialDelaySeconds":20,"periodSeconds":10}""");
    }

    [Test]
    public async Task Template_Defaults_RbacIsMetricsServers()
    {
        var manifests = await Helm.TemplateAsync();

        var reader = manifests.Single("ClusterRole", "system:metrics-server-aggregated-reader");
        foreach (var role in new[] { "admin", "edit", "view" })
            await Assert.That(reader.At("metadata.labels").GetProperty($"rbac.authorization.k8s.io/aggregate-to-{role}").GetString()).IsEqualTo("true");
        await Assert.That(reader.Text("rules")).IsEqualTo("""[{"apiGroups":["metrics.k8s.io"],"resources":["pods","nodes"],"verbs":["get","list","watch"]}]""");
        await Assert.That(manifests.Single("ClusterRole", "system:metrics-server").Text("rules")).IsEqualTo(
            """[{"apiGroups":[""],"resources":["nodes/metrics","nodes/stats"],"verbs":["get"]},{"apiGroups":[""],"resources":["pods","nodes"],"verbs":["get","list","watch"]}]""");
        const string subjects = """[{"kind":"ServiceAccount","name":"metrics-server","namespace":"kube-system"}]""";
        var serverBinding = manifests.Single("ClusterRoleBinding", "system:metrics-server");
        await Assert.That(serverBinding.Text("roleRef")).IsEqualTo("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:metrics-server"}""");
        await Assert.That(serverBinding.Text("subjects")).IsEqualTo(subjects);
        var delegator = manifests.Single("ClusterRoleBinding", "metrics-server:system:auth-delegator");
        await Assert.That(delegator.Text("roleRef")).IsEqualTo("""{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:auth-delegator"}""");
        await Assert.That(delegator.Text("subjects")).IsEqualTo(subjects);
        var authReader = manifests.Single("RoleBinding", "metrics-server-auth-reader");
        await Assert.That(authReader.Text("metadata.namespace")).IsEqualTo("kube-system");
        await Assert.That(authReader.Text("roleRef")).IsEqualTo("""{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"extension-apiserver-authentication-reader"}""");
        await Assert.That(authReader.Text("subjects")).IsEqualTo(subjects);
    }

    [Test]
    public async Task Template_RbacCreateFalse_RendersNoRbac()
    {
        var manifests = await Helm.TemplateAsync("--set", "rbac.create=false", "--set", "serviceAccount.create=false", "--set", "serviceAccount.name=custom");

        await Assert.That(manifests.Count("ClusterRole") + manifests.Count("ClusterRoleBinding") + manifests.Count("RoleBinding") + manifests.Count("ServiceAccount")).IsEqualTo(0);
        await Assert.That(manifests.Single("Deployment", "metrics-server").Text("spec.template.spec.serviceAccountName")).IsEqualTo("custom");
    }

    [Test]
    [Arguments("v1beta1", 100)]
    [Arguments("v1", 200)]
    public async Task Template_Defaults_ApiServicePointsAtTheServiceAndSkipsVerification(string version, int versionPriority)
    {
        var manifests = await Helm.TemplateAsync();
        var apiService = manifests.Single("APIService", $"{version}.metrics.k8s.io");

        await Assert.That(apiService.Text("apiVersion")).IsEqualTo("apiregistration.k8s.io/v1");
        await Assert.That(apiService.Text("spec")).IsEqualTo(
            $$"""{"group":"metrics.k8s.io","groupPriorityMinimum":100,"insecureSkipTLSVerify":true,"service":{"name":"metrics-server","namespace":"kube-system","port":443},"version":"{{version}}","versionPriority":{{versionPriority}}}""");
        await Assert.That(apiService.Has("metadata.annotations")).IsFalse();
        var service = manifests.Single("Service", "metrics-server");
        await Assert.That(service.Text("spec.ports")).IsEqualTo("""[{"appProtocol":"https","name":"https","port":443,"protocol":"TCP","targetPort":"https"}]""");
        await Assert.That(service.Text("spec.type")).IsEqualTo("ClusterIP");
    }

    [Test]
    public async Task Template_ApiServiceCreateFalse_RendersNoApiService()
    {
        var manifests = await Helm.TemplateAsync("--set", "apiService.create=false");

        await Assert.That(manifests.Count("APIService")).IsEqualTo(0);
        await Assert.That(manifests.Count("Deployment")).IsEqualTo(1);
    }

    [Test]
    public async Task Template_FullnameOverride_NamesEveryObjectAndReference()
    {
        var manifests = await Helm.TemplateAsync("--set", "fullnameOverride=tm");

        await Assert.That(manifests.Single("APIService", "v1.metrics.k8s.io").Text("spec.service.name")).IsEqualTo("tm");
        await Assert.That(manifests.Single("Deployment", "tm").Text("spec.template.spec.serviceAccountName")).IsEqualTo("tm");
        await Assert.That(manifests.Single("ClusterRoleBinding", "system:tm").Text("roleRef.name")).IsEqualTo("system:tm");
        await Assert.That(manifests.Single("RoleBinding", "tm-auth-reader").Text("subjects.0.name")).IsEqualTo("tm");
        await Assert.That(manifests.Count("Service")).IsEqualTo(1);
        await Assert.That(manifests.Single("Service", "tm").Text("spec.selector")).IsEqualTo("""{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}""");
    }

    [Test]
    public async Task Template_MetricsWithoutServiceMonitor_OpensMetricsButRendersNoServiceMonitor()
    {
        var manifests = await Helm.TemplateAsync("--set", "metrics.enabled=true");

        await Assert.That(manifests.Container().Strings("args")).Contains("--authorization-always-allow-paths=/metrics");
        await Assert.That(manifests.Count("ServiceMonitor")).IsEqualTo(0);
    }

    [Test]
    public async Task Template_ServiceMonitorWithoutMetrics_RendersNoServiceMonitor()
    {
        var manifests = await Helm.TemplateAsync("--set", "serviceMonitor.enabled=true");

        await Assert.That(manifests.Count("ServiceMonitor")).IsEqualTo(0);
        await Assert.That(manifests.Container().Strings("args")).DoesNotContain("--authorization-always-allow-paths=/metrics");
    }

    [Test]
    public async Task Template_MetricsAndServiceMonitor_ScrapesHttpsMetrics()
    {
        var manifests = await Helm.TemplateAsync("--set", "metrics.enabled=true", "--set", "serviceMonitor.enabled=true");
        var monitor = manifests.Single("ServiceMonitor", "metrics-server");

        await Assert.That(monitor.Text("apiVersion")).IsEqualTo("monitoring.coreos.com/v1");
        await Assert.That(monitor.Text("spec")).IsEqualTo(
            """{"endpoints":[{"interval":"1m","path":"/metrics","port":"https","scheme":"https","scrapeTimeout":"10s","tlsConfig":{"insecureSkipVerify":true}}],"jobLabel":"app.kubernetes.io/instance","namespaceSelector":{"matchNames":["kube-system"]},"selector":{"matchLabels":{"app.kubernetes.io/instance":"metrics-server","app.kubernetes.io/name":"metrics-server"}}}""");
    }

    [Test]
    public async Task Template_HostUsers_RenderedFromKubernetes133()
    {
        var current = await Helm.TemplateAsync("--set", "hostUsers=false", "--kube-version", "1.33.0");
        var older = await Helm.TemplateAsync("--set", "hostUsers=false", "--kube-version", "1.32.0");

        await Assert.That(current.Single("Deployment", "metrics-server").At("spec.template.spec.hostUsers").ValueKind).IsEqualTo(JsonValueKind.False);
        await Assert.That(older.Single("Deployment", "metrics-server").Has("spec.template.spec.hostUsers")).IsFalse();
    }
}
