using System.Net;
using System.Text;
using System.Text.Json;
using k8s;
using TinyMetrics.Simulator.Tests;

namespace TinyMetrics.Simulator.Api.Tests;

[ClassDataSource<SimulatorFixture>(Shared = SharedType.PerClass)]
public class ApiServerTests(SimulatorFixture sim)
{
    private const string MetadataAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

    [Test]
    public async Task Start_Kubeconfigs_ParseWithKubernetesClient()
    {
        var admin = KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.Host.KubectlKubeconfig);
        var metrics = KubernetesClientConfiguration.BuildConfigFromConfigFile(sim.Host.MetricsServerKubeconfig);

        await Assert.That(admin.Host.TrimEnd('/')).IsEqualTo(sim.Host.ApiUri.ToString().TrimEnd('/'));
        await Assert.That(admin.AccessToken).IsEqualTo(TokenAuthenticator.AdminToken);
        await Assert.That(admin.CurrentContext).IsEqualTo("tinymetrics-sim");
        await Assert.That(metrics.AccessToken).IsEqualTo(TokenAuthenticator.MetricsServerToken);
        await Assert.That(metrics.SslCaCerts!.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Start_Files_KeysAreOwnerOnlyAndExpectedJsonListsEveryPod()
    {
        var dir = sim.Host.Directory;
        foreach (var file in new[] { "ca.crt", "ca.key", "apiserver.crt", "front-proxy-ca.crt", "front-proxy-client.crt", "front-proxy-client.key" })
            await Assert.That(File.Exists(Path.Combine(dir, file))).IsTrue();
        if (!OperatingSystem.IsWindows())
            await Assert.That(File.GetUnixFileMode(Path.Combine(dir, "ca.key"))).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var expected = JsonDocument.Parse(File.ReadAllText(sim.Host.ExpectedFile));
        await Assert.That(expected.RootElement.GetProperty("nodes").GetArrayLength()).IsEqualTo(SimulatorFixture.Nodes);
        await Assert.That(expected.RootElement.GetProperty("pods").GetArrayLength()).IsEqualTo(SimulatorFixture.Nodes * SimulatorFixture.PodsPerNode);
        var firstNode = expected.RootElement.GetProperty("nodes")[0];
        await Assert.That(firstNode.GetProperty("cpuNanoCores").GetInt64()).IsEqualTo(sim.Host.Cluster.Nodes[0].CpuNanoCores);
    }

    [Test]
    [Arguments(null)]
    [Arguments("wrong-token")]
    public async Task Get_WithoutValidToken_Is401Status(string? token)
    {
        using var client = sim.Client(token);
        using var response = await client.GetAsync(sim.Api("/api/v1/nodes"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(body.RootElement.GetProperty("kind").GetString()).IsEqualTo("Status");
        await Assert.That(body.RootElement.GetProperty("code").GetInt32()).IsEqualTo(401);
    }

    [Test]
    public async Task ListNodes_Admin_AllNodesWithAddressesAndKubeletPort()
    {
        using var body = await GetJsonAsync("/api/v1/nodes");
        var items = body.RootElement.GetProperty("items");

        await Assert.That(body.RootElement.GetProperty("kind").GetString()).IsEqualTo("NodeList");
        await Assert.That(items.GetArrayLength()).IsEqualTo(SimulatorFixture.Nodes);
        for (var i = 0; i < SimulatorFixture.Nodes; i++)
        {
            var node = sim.Host.Cluster.Nodes[i];
            var status = items[i].GetProperty("status");
            await Assert.That(items[i].GetProperty("metadata").GetProperty("name").GetString()).IsEqualTo(node.Name);
            await Assert.That(status.GetProperty("addresses")[0].GetProperty("type").GetString()).IsEqualTo("InternalIP");
            await Assert.That(status.GetProperty("addresses")[0].GetProperty("address").GetString()).IsEqualTo(node.Address);
            await Assert.That(status.GetProperty("daemonEndpoints").GetProperty("kubeletEndpoint").GetProperty("Port").GetInt32()).IsEqualTo(node.KubeletPort);
            await Assert.That(status.GetProperty("allocatable").GetProperty("cpu").GetString()).IsEqualTo("4");
        }
    }

    [Test]
    public async Task ListNodes_LabelSelector_Filters()
    {
        using var body = await GetJsonAsync("/api/v1/nodes?labelSelector=topology.kubernetes.io/zone%3Dsim-zone-b");
        var items = body.RootElement.GetProperty("items");

        await Assert.That(items.GetArrayLength()).IsEqualTo(1);
        await Assert.That(items[0].GetProperty("metadata").GetProperty("name").GetString()).IsEqualTo(sim.Host.Cluster.Nodes[1].Name);
    }

    [Test]
    public async Task GetPodAndNode_ByName_FullObjects()
    {
        var pod = sim.Host.Cluster.Pods[3];
        using var podJson = await GetJsonAsync($"/api/v1/namespaces/{pod.Namespace}/pods/{pod.Name}");
        using var nodeJson = await GetJsonAsync($"/api/v1/nodes/{pod.NodeName}");
        using var podMeta = await GetJsonAsync($"/api/v1/namespaces/{pod.Namespace}/pods/{pod.Name}",
            "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");

        await Assert.That(podJson.RootElement.GetProperty("kind").GetString()).IsEqualTo("Pod");
        await Assert.That(podJson.RootElement.GetProperty("status").GetProperty("phase").GetString()).IsEqualTo("Running");
        await Assert.That(nodeJson.RootElement.GetProperty("kind").GetString()).IsEqualTo("Node");
        await Assert.That(podMeta.RootElement.GetProperty("kind").GetString()).IsEqualTo("PartialObjectMetadata");
        await Assert.That(podMeta.RootElement.GetProperty("metadata").GetProperty("uid").GetString()).IsEqualTo(pod.Uid);
    }

    [Test]
    public async Task GetNode_Unknown_Is404Status()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await client.GetAsync(sim.Api("/api/v1/nodes/nope"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("\"reason\":\"NotFound\"");
    }

    [Test]
    public async Task ListPods_MetadataOnly_IsPartialObjectMetadataList()
    {
        using var body = await GetJsonAsync("/api/v1/pods?fieldSelector=status.phase%3DRunning", MetadataAccept);
        var items = body.RootElement.GetProperty("items");

        await Assert.That(body.RootElement.GetProperty("apiVersion").GetString()).IsEqualTo("meta.k8s.io/v1");
        await Assert.That(body.RootElement.GetProperty("kind").GetString()).IsEqualTo("PartialObjectMetadataList");
        await Assert.That(items.GetArrayLength()).IsEqualTo(sim.Host.Cluster.Pods.Length);
        await Assert.That(items[0].GetProperty("kind").GetString()).IsEqualTo("PartialObjectMetadata");
        await Assert.That(items[0].TryGetProperty("spec", out _)).IsFalse();
        await Assert.That(items[0].GetProperty("metadata").GetProperty("labels").TryGetProperty("app", out _)).IsTrue();
    }

    [Test]
    public async Task ListPods_Paged_ReturnsEveryPodOnce()
    {
        var names = new List<string>();
        string? next = null;
        do
        {
            using var page = await GetJsonAsync("/api/v1/pods?limit=4" + (next is null ? "" : "&continue=" + next), MetadataAccept);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
                names.Add(item.GetProperty("metadata").GetProperty("name").GetString()!);
            next = page.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        }
        while (next is not null);

        await Assert.That(names).IsEquivalentTo(sim.Host.Cluster.Pods.Select(p => p.Name));
    }

    [Test]
    public async Task ListNamespacedPods_LabelAndFieldSelectors_MatchModel()
    {
        var pod = sim.Host.Cluster.Pods[^1];
        pod.Labels.TryGetValue("app", out var app);
        var expected = sim.Host.Cluster.Pods.Count(p => p.Namespace == pod.Namespace && p.Labels.TryGetValue("app", out var a) && a == app);

        using var byLabel = await GetJsonAsync($"/api/v1/namespaces/{pod.Namespace}/pods?labelSelector=app%3D{app}");
        using var byName = await GetJsonAsync($"/api/v1/namespaces/{pod.Namespace}/pods?fieldSelector=metadata.name%3D{pod.Name}");

        await Assert.That(byLabel.RootElement.GetProperty("items").GetArrayLength()).IsEqualTo(expected);
        await Assert.That(byName.RootElement.GetProperty("items").GetArrayLength()).IsEqualTo(1);
        var spec = byName.RootElement.GetProperty("items")[0].GetProperty("spec");
        await Assert.That(spec.GetProperty("containers")[0].GetProperty("name").GetString()).IsEqualTo(pod.Containers[0].Name);
        await Assert.That(spec.GetProperty("nodeName").GetString()).IsEqualTo(pod.NodeName);
    }

    [Test]
    public async Task ListPods_UnsupportedField_Is400()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await client.GetAsync(sim.Api("/api/v1/pods?fieldSelector=spec.bogus%3D1"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Discovery_Apis_AdvertisesMetricsGroupPreferringV1beta1()
    {
        using var body = await GetJsonAsync("/apis");
        var metrics = body.RootElement.GetProperty("groups").EnumerateArray()
            .Single(g => g.GetProperty("name").GetString() == "metrics.k8s.io");

        await Assert.That(metrics.GetProperty("preferredVersion").GetProperty("version").GetString()).IsEqualTo("v1beta1");
        await Assert.That(metrics.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!))
            .IsEquivalentTo(new[] { "v1beta1", "v1" });
    }

    [Test]
    public async Task ConfigMap_ExtensionApiserverAuthentication_HasFrontProxyCa()
    {
        using var body = await GetJsonAsync("/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication");
        var data = body.RootElement.GetProperty("data");

        await Assert.That(data.GetProperty("requestheader-client-ca-file").GetString())
            .IsEqualTo(File.ReadAllText(Path.Combine(sim.Host.Directory, "front-proxy-ca.crt")) + "\n");
        await Assert.That(data.GetProperty("requestheader-allowed-names").GetString()).IsEqualTo("[\"front-proxy-client\"]");
        await Assert.That(data.GetProperty("requestheader-username-headers").GetString()).IsEqualTo("[\"X-Remote-User\"]");
    }

    [Test]
    [Arguments(TokenAuthenticator.AdminToken, true)]
    [Arguments(TokenAuthenticator.UnprivilegedToken, false)]
    public async Task Reviews_TokenThenAccess_AuthenticateAndAuthorize(string token, bool allowed)
    {
        using var client = sim.Client(TokenAuthenticator.MetricsServerToken);
        using var tokenReview = await PostJsonAsync(client, "/apis/authentication.k8s.io/v1/tokenreviews",
            $$$"""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"{{{token}}}"}}""");
        var user = tokenReview.RootElement.GetProperty("status").GetProperty("user").GetProperty("username").GetString();
        using var sar = await PostJsonAsync(client, "/apis/authorization.k8s.io/v1/subjectaccessreviews",
            "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":\"" + user
            + "\",\"resourceAttributes\":{\"group\":\"metrics.k8s.io\",\"resource\":\"pods\",\"verb\":\"list\"}}}");

        await Assert.That(tokenReview.RootElement.GetProperty("status").GetProperty("authenticated").GetBoolean()).IsTrue();
        await Assert.That(sar.RootElement.GetProperty("status").GetProperty("allowed").GetBoolean()).IsEqualTo(allowed);
    }

    [Test]
    public async Task UnknownPath_Is404Status()
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var response = await client.GetAsync(sim.Api("/apis/example.com/v1/widgets"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/json");
    }

    private async Task<JsonDocument> GetJsonAsync(string path, string? accept = null)
    {
        using var client = sim.Client(TokenAuthenticator.AdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, sim.Api(path));
        if (accept is not null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text);
    }

    private async Task<JsonDocument> PostJsonAsync(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(sim.Api(path), new StringContent(json, Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
