using System.Text;
using System.Text.Json;

namespace TinyMetrics.E2E.Deploy;

/// <summary>
/// Rendered Kubernetes objects as JSON. kubectl 1.35 converts the YAML (<c>patch --local</c> with an empty merge
/// patch reads files and prints each object unchanged as JSON, without a cluster), so no YAML reader is needed here.
/// </summary>
public sealed class Manifests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private Manifests(IReadOnlyList<JsonElement> objects) => Objects = objects;

    public IReadOnlyList<JsonElement> Objects { get; }

    /// <summary>Every YAML file under <paramref name="path"/> (a file or a directory), converted to JSON.</summary>
    public static async Task<Manifests> FromYamlAsync(string path)
    {
        var result = await KubeTools.RunAsync(KubeTools.KubectlPath,
            ["patch", "--local", "--recursive", "--type=merge", "--patch={}", "--output=json", "--filename", path], Deadline);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl could not read {path}: {result}");
        return Parse(result.Output);
    }

    /// <summary><c>kubectl kustomize</c> of a directory of the repository (e.g. deploy/overlays/edge).</summary>
    public static async Task<Manifests> KustomizeAsync(string directory)
    {
        var result = await KubeTools.RunAsync(KubeTools.KubectlPath, ["kustomize", directory], Deadline);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubectl kustomize {directory} failed: {result}");
        var file = Path.Combine(Path.GetTempPath(), $"tinymetrics-kustomize-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, result.Output);
            return await FromYamlAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static Manifests Parse(string json)
    {
        var objects = new List<JsonElement>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                using var document = JsonDocument.ParseValue(ref reader);
                var root = document.RootElement.Clone();
                if (root.TryGetProperty("kind", out var kind) && kind.GetString() == "List")
                    objects.AddRange(root.GetProperty("items").EnumerateArray());
                else
                    objects.Add(root);
            }
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"not a stream of JSON objects ({e.Message}):\n{json}", e);
        }
        return new Manifests(objects);
    }

    /// <summary>"Kind/name" of every object, sorted, for exact comparisons.</summary>
    public string[] Names() =>
        Objects.Select(o => $"{o.At("kind").GetString()}/{o.At("metadata.name").GetString()}").Order(StringComparer.Ordinal).ToArray();

    public int Count(string kind) => Objects.Count(o => o.At("kind").GetString() == kind);

    public JsonElement Single(string kind, string name)
    {
        var matches = Objects.Where(o => o.At("kind").GetString() == kind && o.At("metadata.name").GetString() == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"{matches.Count} objects {kind}/{name} among: {string.Join(", ", Names())}");
    }

    /// <summary>The Deployment's only container.</summary>
    public JsonElement Container(string deployment = "metrics-server") =>
        Single("Deployment", deployment).At("spec.template.spec.containers").EnumerateArray().Single();
}
