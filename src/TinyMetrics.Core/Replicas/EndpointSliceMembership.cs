using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TinyMetrics.Discovery;
using TinyMetrics.Kube;

namespace TinyMetrics.Replicas;

/// <summary>
/// Kubernetes as the membership service: list + watch of the EndpointSlices of one Service
/// (<c>kubernetes.io/service-name=NAME</c> in its namespace); the ready endpoints are the replicas. Nothing is
/// voted or leased: every replica reads the same slices, so they agree once their watches have delivered the
/// same events, and the kubelet's readiness probe decides who is in.
/// </summary>
public sealed class EndpointSliceMembership : IMembershipSource
{
    private readonly SliceCache _slices;
    private readonly ListWatcher<EndpointSliceObject, EndpointSliceList> _watcher;
    private readonly string? _selfAddress;
    private readonly string _service;
    private readonly ILogger _logger;
    private readonly Lock _publishing = new();
    private Membership _current = Membership.Alone;

    public EndpointSliceMembership(KubeApiClient api, string ns, string service, string? selfAddress, TimeProvider time, ILogger? logger = null)
    {
        _selfAddress = selfAddress;
        _service = ns + "/" + service;
        _logger = logger ?? NullLogger.Instance;
        _slices = new SliceCache(Recompute);
        var resource = new WatchedResource("endpointslices", $"/apis/discovery.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/endpointslices",
            null, WatchedResource.Json, WatchedResource.Json, "kubernetes.io/service-name=" + service);
        _watcher = new(api, resource, ReplicaJsonContext.Default.EndpointSliceList, ReplicaJsonContext.Default.WatchEventEndpointSliceObject,
            _slices, new DiscoveryOptions(), time, _logger);
    }

    public Membership Current => Volatile.Read(ref _current);

    /// <summary>Where the watcher delivers lists and events; tests feed it directly.</summary>
    internal IWatchSink<EndpointSliceObject> Sink => _slices;

    /// <summary>Lists and watches until cancelled; never throws otherwise (the watcher backs off and relists).</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.ReplicaMode(_service, _selfAddress ?? "", PeerShare.Path);
        return _watcher.RunAsync(cancellationToken);
    }

    private void Recompute()
    {
        lock (_publishing)
        {
            var endpoints = new List<ReplicaEndpoint>();
            foreach (var slice in _slices.Freeze(out _).Values)
                endpoints.AddRange(slice);
            var next = Membership.From(endpoints, _selfAddress);
            var previous = Current;
            if (next.SameAs(previous))
                return;
            Volatile.Write(ref _current, next);
            _logger.MembershipChanged(_service, next.Members.Length, next.Self, next.ToString());
            if (next.Self < 0 && next.Members.Length > 0)
                _logger.SelfNotListed(_service, _selfAddress ?? "");
        }
    }

    /// <summary>Each slice's ready endpoints, keyed by the slice's name.</summary>
    internal sealed class SliceCache : ObjectCache<EndpointSliceObject, string, ReplicaEndpoint[]>
    {
        public SliceCache(Action changed)
            : base(StringComparer.Ordinal, changed)
        {
        }

        protected override bool TryMap(EndpointSliceObject item, out string key, out ReplicaEndpoint[] value)
        {
            key = item.Metadata?.Name ?? "";
            value = ReadyEndpoints(item);
            return key.Length > 0;
        }

        protected override bool Same(ReplicaEndpoint[] a, ReplicaEndpoint[] b) => a.AsSpan().SequenceEqual(b);

        internal static ReplicaEndpoint[] ReadyEndpoints(EndpointSliceObject slice)
        {
            var port = PortOf(slice.Ports);
            if (port <= 0 || slice.Endpoints is not { Count: > 0 } endpoints)
                return [];
            var ready = new List<ReplicaEndpoint>(endpoints.Count);
            foreach (var endpoint in endpoints)
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 } addresses)
                    continue;
                // A slice's endpoint lists one address per pod (the API requires one, and consumers use the first).
                ready.Add(new ReplicaEndpoint(addresses[0], port));
            }
            return [.. ready];
        }

        // The port named "https", as the chart and manifests name it, else the slice's first port.
        private static int PortOf(List<EndpointPortJson>? ports)
        {
            if (ports is not { Count: > 0 })
                return 0;
            foreach (var port in ports)
            {
                if (port.Name == "https" && port.Port is > 0 and var value)
                    return value;
            }
            return ports[0].Port ?? 0;
        }
    }
}

/// <summary>Where the sharding scraper reads the current membership; a test supplies a fixed one.</summary>
public interface IMembershipSource
{
    Membership Current { get; }
}
