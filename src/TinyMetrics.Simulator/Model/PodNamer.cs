namespace TinyMetrics.Simulator.Model;

/// <summary>Deployment-like pod names (<c>web-5d8f7c9b4d-x2x7k</c>) that are unique across the cluster.</summary>
internal sealed class PodNamer
{
    // The alphabet Kubernetes uses for generated names (no vowels, no confusable digits).
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private static readonly string[] Apps =
    [
        "web", "api", "worker", "cache", "frontend", "backend", "ingest", "auth",
        "search", "billing", "mailer", "gateway", "scheduler", "reporter", "metrics-agent", "queue",
    ];

    private readonly SeededRandom _random;
    private readonly Deployment[] _deployments;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public PodNamer(SeededRandom random, int totalPods)
    {
        _random = random;
        // At least ten deployments so even a tiny cluster shows several apps and namespaces.
        _deployments = new Deployment[Math.Max(Math.Min(totalPods, 10), Math.Max(1, totalPods / 5))];
        for (var d = 0; d < _deployments.Length; d++)
        {
            var round = d / (Apps.Length * SimulatedCluster.Namespaces.Length);
            var app = Apps[(d / SimulatedCluster.Namespaces.Length) % Apps.Length] + (round == 0 ? "" : "-" + round);
            _deployments[d] = new Deployment(SimulatedCluster.NamespaceFor(d), app, random.Chars(Alphabet, 10));
        }
    }

    public Deployment PickDeployment() => _deployments[_random.Next(_deployments.Length)];

    public string NewPodName(Deployment deployment)
    {
        while (true)
        {
            var name = deployment.App + "-" + deployment.Hash + "-" + _random.Chars(Alphabet, 5);
            if (_used.Add(deployment.Namespace + "/" + name))
                return name;
        }
    }

    internal readonly record struct Deployment(string Namespace, string App, string Hash);
}
