using System.Reflection;
using ZLogger;

namespace TinyMetrics.Telemetry.Tests;

/// <summary>Log event ids are unique across the binary and each area keeps its own thousand.</summary>
public class LogEventIdTests
{
    // Area → the thousand its ids live in; a new log class picks a free one here.
    private static readonly Dictionary<string, int> Areas = new(StringComparer.Ordinal)
    {
        ["TinyMetrics.Discovery"] = 1,
        ["TinyMetrics.Scraping"] = 2,
        ["TinyMetrics.Storage"] = 2,
        ["TinyMetrics.Cycle"] = 3,
        ["TinyMetrics.Replicas"] = 3,
        ["TinyMetrics.Kube"] = 4,
        ["TinyMetrics"] = 5,
        ["TinyMetrics.Hosting"] = 5,
        ["TinyMetrics.Security"] = 6,
        ["TinyMetrics.Tls"] = 7,
        ["TinyMetrics.Serving"] = 8,
        ["TinyMetrics.Http"] = 8,
        ["TinyMetrics.Telemetry"] = 9,
    };

    private static List<(string Method, string Namespace, int Id)> LogMethods()
    {
        var found = new List<(string, string, int)>();
        foreach (var assembly in new[] { typeof(Cycle.ScrapeCycle).Assembly, typeof(ServerApp).Assembly })
        {
            foreach (var type in assembly.GetTypes())
            {
                foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                {
                    if (method.GetCustomAttribute<ZLoggerMessageAttribute>() is { } attribute)
                        found.Add(($"{type.Name}.{method.Name}", type.Namespace ?? "", attribute.EventId));
                }
            }
        }
        return found;
    }

    [Test]
    public async Task EventIds_AcrossCoreAndServer_AreUnique()
    {
        var methods = LogMethods();
        var duplicates = new List<string>();
        var seen = new Dictionary<int, string>();
        foreach (var (method, _, id) in methods)
        {
            if (!seen.TryAdd(id, method))
                duplicates.Add($"{id}: {seen[id]} and {method}");
        }

        await Assert.That(methods.Count).IsGreaterThan(30);
        await Assert.That(duplicates).IsEmpty();
    }

    [Test]
    public async Task EventIds_EachArea_StayInItsThousand()
    {
        var misplaced = new List<string>();
        foreach (var (method, ns, id) in LogMethods())
        {
            if (!Areas.TryGetValue(ns, out var thousand) || id / 1000 != thousand)
                misplaced.Add($"{method} ({ns}) has id {id}");
        }

        await Assert.That(misplaced).IsEmpty();
    }
}
