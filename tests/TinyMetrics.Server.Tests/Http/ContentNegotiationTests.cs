namespace TinyMetrics.Http.Tests;

/// <summary>
/// Accept headers against the outcome k8s.io/apiserver's NegotiateMediaTypeOptions gives for a resource endpoint and
/// under the default restrictions (Status bodies, documents); "406" when nothing is acceptable.
/// </summary>
public sealed class ContentNegotiationTests
{
    [Test]
    [Arguments(null, "json")]
    [Arguments("", "json")]
    [Arguments("*/*", "json")]
    [Arguments("application/*", "json")]
    [Arguments("application/json", "json")]
    [Arguments("application/yaml", "yaml")]
    [Arguments("application/vnd.kubernetes.protobuf", "protobuf")]
    [Arguments("application/vnd.kubernetes.protobuf,application/json", "protobuf")]
    [Arguments("application/vnd.kubernetes.protobuf, */*", "protobuf")]
    [Arguments("application/json;q=0.5, application/yaml", "yaml")]
    [Arguments("application/yaml;q=0.9, application/vnd.kubernetes.protobuf;q=0.95", "protobuf")]
    [Arguments("*/*, application/yaml", "yaml")]
    [Arguments("application/*, application/yaml", "yaml")]
    [Arguments("application/json;q=0", "json")]
    [Arguments("application/json;q=bogus, application/yaml;q=0.1", "yaml")]
    [Arguments("text/html", "406")]
    [Arguments("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "json")]
    [Arguments("text/html,application/xhtml+xml", "406")]
    [Arguments("text/plain", "406")]
    [Arguments("application/cbor", "406")]
    [Arguments("application", "406")]
    [Arguments("Application/JSON", "406")]
    [Arguments(" application/json ;charset=utf-8", "json")]
    [Arguments("application/json;stream=watch", "json")]
    [Arguments("application/yaml;stream=watch", "406")]
    [Arguments("application/json;stream=bogus, application/yaml", "yaml")]
    [Arguments("application/json;sv=v1", "json")]
    [Arguments("application/json;sv=v2", "406")]
    [Arguments("application/json;as=Table;v=v1;g=meta.k8s.io", "json Table v1")]
    [Arguments("application/json;as=Table;v=v1beta1;g=meta.k8s.io", "json Table v1beta1")]
    [Arguments("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", "json Table v1")]
    [Arguments("application/yaml;as=Table;v=v1;g=meta.k8s.io", "yaml Table v1")]
    [Arguments("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", "406")]
    [Arguments("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, application/json", "json")]
    [Arguments("application/json;as=Table;v=v1;g=example.com", "406")]
    [Arguments("application/json;as=Table", "406")]
    [Arguments("application/json;as=Table;v=v2;g=meta.k8s.io", "406")]
    [Arguments("application/json;as=Other;v=v1;g=meta.k8s.io", "406")]
    [Arguments("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", "json PartialObjectMetadataList v1")]
    [Arguments("application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;v=v1beta1;g=meta.k8s.io", "protobuf PartialObjectMetadata v1beta1")]
    [Arguments("application/json;pretty=1", "json pretty")]
    public async Task TryNegotiate_Resource(string? accept, string expected)
    {
        await Assert.That(Describe(accept, resource: true)).IsEqualTo(expected);
    }

    [Test]
    [Arguments(null, "json")]
    [Arguments("application/vnd.kubernetes.protobuf, */*", "protobuf")]
    [Arguments("application/yaml", "yaml")]
    [Arguments("text/html", "406")]
    [Arguments("application/json;as=Table;v=v1;g=meta.k8s.io", "406")]
    [Arguments("application/json;as=Table;v=v1;g=meta.k8s.io, application/json", "json")]
    [Arguments("application/json;sv=v1", "406")]
    public async Task TryNegotiate_DefaultRestrictions(string? accept, string expected)
    {
        await Assert.That(Describe(accept, resource: false)).IsEqualTo(expected);
    }

    [Test]
    public async Task TryNegotiate_MoreClausesThanTheStackHolds_StillNegotiates()
    {
        var accept = string.Join(",", Enumerable.Repeat("text/html", 40)) + ",application/yaml";

        await Assert.That(Describe(accept, resource: true)).IsEqualTo("yaml");
    }

    private static string Describe(string? accept, bool resource)
    {
        if (!ContentNegotiation.TryNegotiate(accept, resource, out var media))
            return "406";
        var text = media.Kind.ToString().ToLowerInvariant();
        if (media.Convert != Conversion.None)
            text += " " + media.Convert + (media.MetaV1Beta1 ? " v1beta1" : " v1");
        return media.Pretty ? text + " pretty" : text;
    }
}
