using System.Globalization;
using System.Net;
using TinyMetrics.Simulator.Kubelets;

namespace TinyMetrics.Simulator;

/// <summary>Command-line options of <c>tinymetrics-simulator</c>; also the input of <see cref="Model.SimulatedCluster.Create(SimulatorOptions)"/>.</summary>
public sealed record SimulatorOptions
{
    public int Nodes { get; init; } = 3;

    public int PodsPerNode { get; init; } = 10;

    /// <summary><c>--shape=realistic|simple</c>; the container and sidecar counts below apply to the simple shape only.</summary>
    public SimulatorShape Shape { get; init; } = SimulatorShape.Realistic;

    public int ContainersPerPod { get; init; } = 1;

    /// <summary>Every Nth pod gets one extra container ("sidecar"); 0 disables it.</summary>
    public int SidecarEvery { get; init; } = 4;

    public string Directory { get; init; } = "/tmp/sim";

    /// <summary>0 picks a free port.</summary>
    public int ApiPort { get; init; }

    /// <summary>0 picks one free port, used by every node.</summary>
    public int KubeletPort { get; init; } = 10250;

    /// <summary>
    /// The first kubelet's address: an IPv4 loopback address, each node then on the next one; or ::1, where the API
    /// server listens too and every kubelet shares the one address on its own port (<see cref="KubeletPort"/> + index).
    /// </summary>
    public IPAddress FirstAddress { get; init; } = IPAddress.Parse("127.1.0.1");

    /// <summary>Everything on ::1 (<see cref="FirstAddress"/>).</summary>
    public bool IsIpv6 => FirstAddress.Equals(IPAddress.IPv6Loopback);

    /// <summary>Upstream of the aggregation proxy, e.g. https://127.0.0.1:4443; null answers 503.</summary>
    public Uri? MetricsServer { get; init; }

    public int Seed { get; init; } = 1;

    public string? ReadyFile { get; init; }

    /// <summary>
    /// <c>--kubelets=FROM:COUNT</c>: the node indices whose kubelets this process serves (default all). Two
    /// processes started with the same sizes and seed split one cluster, for clusters whose listeners and
    /// connections would pass one process's file-descriptor limit (the API of the first is the cluster's).
    /// </summary>
    public int KubeletsFrom { get; init; }

    /// <summary>How many kubelets from <see cref="KubeletsFrom"/>; -1 means up to the last node.</summary>
    public int KubeletsCount { get; init; } = -1;

    /// <summary>
    /// <c>--kubelet-faults=MODE:FROM:COUNT[,…]</c>: the modes node indices FROM..FROM+COUNT-1 start in (any
    /// control-endpoint mode, or <c>refuse</c>: no listener at all), for clusters with hundreds of faulty kubelets.
    /// </summary>
    public IReadOnlyList<KubeletFault> KubeletFaults { get; init; } = [];

    /// <summary><c>--summary-only-every=K</c>: every K-th node's kubelet serves only the Summary API (404 on /metrics/resource); 0 for none.</summary>
    public int SummaryOnlyEvery { get; init; }

    /// <summary>Parses <c>--name=value</c> (or <c>--name value</c>) arguments; throws <see cref="ArgumentException"/> on unknown or bad ones.</summary>
    public static SimulatorOptions Parse(string[] args)
    {
        var options = new SimulatorOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument: {arg}");
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            string name, value;
            if (eq > 0)
            {
                name = arg[2..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg[2..];
                value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"missing value for --{name}");
            }
            options = options.With(name, value);
        }
        options.Validate();
        return options;
    }

    private SimulatorOptions With(string name, string value) => name switch
    {
        "nodes" => this with { Nodes = Int(name, value) },
        "pods-per-node" => this with { PodsPerNode = Int(name, value) },
        "shape" => this with { Shape = ParseShape(value) },
        "containers-per-pod" => this with { ContainersPerPod = Int(name, value) },
        "sidecar-every" => this with { SidecarEvery = Int(name, value) },
        "dir" => this with { Directory = value },
        "api-port" => this with { ApiPort = Int(name, value) },
        "kubelet-port" => this with { KubeletPort = Int(name, value) },
        "first-address" => this with { FirstAddress = IPAddress.Parse(value) },
        "metrics-server" => this with { MetricsServer = value.Length == 0 ? null : new Uri(value) },
        "seed" => this with { Seed = Int(name, value) },
        "ready-file" => this with { ReadyFile = value },
        "kubelets" => WithKubelets(value),
        "kubelet-faults" => this with { KubeletFaults = ParseFaults(value) },
        "summary-only-every" => this with { SummaryOnlyEvery = Int(name, value) },
        _ => throw new ArgumentException($"unknown flag: --{name}"),
    };

    private SimulatorOptions WithKubelets(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? throw new ArgumentException($"--kubelets needs FROM:COUNT, got '{value}'")
            : this with { KubeletsFrom = Int("kubelets", value[..colon]), KubeletsCount = Int("kubelets", value[(colon + 1)..]) };
    }

    private static KubeletFault[] ParseFaults(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var faults = new KubeletFault[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var fields = parts[i].Split(':');
            if (fields.Length != 3 || !KubeletModes.TryParse(fields[0], out var mode))
                throw new ArgumentException($"--kubelet-faults needs MODE:FROM:COUNT, got '{parts[i]}'");
            faults[i] = new KubeletFault(mode, Int("kubelet-faults", fields[1]), Int("kubelet-faults", fields[2]));
        }
        return faults;
    }

    private static SimulatorShape ParseShape(string value) => value switch
    {
        "realistic" => SimulatorShape.Realistic,
        "simple" => SimulatorShape.Simple,
        _ => throw new ArgumentException($"--shape needs realistic or simple, got '{value}'"),
    };

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"--{name} needs an integer, got '{value}'");

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (Nodes < 1 || PodsPerNode < 0 || ContainersPerPod < 1 || SidecarEvery < 0)
            throw new ArgumentException("--nodes ≥ 1, --pods-per-node ≥ 0, --containers-per-pod ≥ 1, --sidecar-every ≥ 0");
        if (KubeletsFrom < 0 || KubeletsCount < -1 || KubeletsFrom >= Nodes || (KubeletsCount >= 0 && KubeletsFrom + KubeletsCount > Nodes))
            throw new ArgumentException("--kubelets=FROM:COUNT must name nodes of the cluster");
        foreach (var fault in KubeletFaults)
        {
            if (fault.From < 0 || fault.Count < 0 || fault.From + fault.Count > Nodes)
                throw new ArgumentException("--kubelet-faults ranges must name nodes of the cluster");
        }
        if (ApiPort is < 0 or > 65535 || KubeletPort is < 0 or > 65535)
            throw new ArgumentException("ports must be 0..65535");
        var bytes = FirstAddress.GetAddressBytes();
        if (!IsIpv6 && (bytes.Length != 4 || bytes[0] != 127))
            throw new ArgumentException("--first-address must be an IPv4 loopback address (127.0.0.0/8) or ::1");
        if (IsIpv6 && KubeletPort + Nodes - 1 > 65535)
            throw new ArgumentException("on ::1 the kubelets take ports --kubelet-port to --kubelet-port + nodes - 1, at most 65535");
    }
}

/// <summary>Nodes <see cref="From"/>..<see cref="From"/>+<see cref="Count"/>-1 start in <see cref="Mode"/>.</summary>
public readonly record struct KubeletFault(KubeletMode Mode, int From, int Count);
