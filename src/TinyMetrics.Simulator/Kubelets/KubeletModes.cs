using TinyMetrics.Simulator.Model;

namespace TinyMetrics.Simulator.Kubelets;

/// <summary>
/// Per-node mode and counter epoch, written by the control endpoint and read by each scrape.
/// Arrays indexed by node; each slot is read and written with Volatile so a scrape sees one consistent value.
/// </summary>
public sealed class KubeletModes
{
    private readonly int[] _modes;
    private readonly long[] _resetUnixNanos;
    private readonly long[] _setUnixMs;
    private readonly TimeProvider _time;

    public KubeletModes(int nodes, TimeProvider time)
    {
        Requests = new KubeletRequestCounts(nodes);
        _modes = new int[nodes];
        _resetUnixNanos = new long[nodes];
        _setUnixMs = new long[nodes];
        _time = time;
    }

    /// <summary>Metrics requests each kubelet answered (what a test counts scrapes with); kept here as every handler shares this object.</summary>
    public KubeletRequestCounts Requests { get; }

    public KubeletMode Get(int node) => (KubeletMode)Volatile.Read(ref _modes[node]);

    /// <summary>0 when the counters never restarted, else the Unix time (ns) they restarted from zero.</summary>
    public long ResetUnixNanos(int node) => Volatile.Read(ref _resetUnixNanos[node]);

    public void Set(int node, KubeletMode mode)
    {
        if (mode == KubeletMode.CounterReset)
        {
            Volatile.Write(ref _resetUnixNanos[node], _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000);
            mode = KubeletMode.Normal;
        }
        Volatile.Write(ref _setUnixMs[node], _time.GetUtcNow().ToUnixTimeMilliseconds());
        Volatile.Write(ref _modes[node], (int)mode);
    }

    /// <summary>When the node's mode was last set (Unix ms): the mirror point of the backwards modes.</summary>
    public long SetUnixMs(int node) => Volatile.Read(ref _setUnixMs[node]);

    /// <summary>The modes that present a faulty serving certificate at new handshakes.</summary>
    public static bool IsCertificateFault(KubeletMode mode) =>
        mode is KubeletMode.ExpiredCertificate or KubeletMode.WrongHostCertificate or KubeletMode.WrongCaCertificate;

    public static bool TryParse(string? text, out KubeletMode mode)
    {
        mode = text switch
        {
            "normal" => KubeletMode.Normal,
            "hang" => KubeletMode.Hang,
            "garbage" => KubeletMode.Garbage,
            "error500" => KubeletMode.Error500,
            "huge" => KubeletMode.Huge,
            "counter-reset" => KubeletMode.CounterReset,
            "refuse" => KubeletMode.Refuse,
            "slow" => KubeletMode.Slow,
            "no-series" => KubeletMode.NoSeries,
            "duplicate-series" => KubeletMode.DuplicateSeries,
            "no-timestamps" => KubeletMode.NoTimestamps,
            "backwards-timestamps" => KubeletMode.BackwardsTimestamps,
            "counter-backwards" => KubeletMode.CounterBackwards,
            "huge-values" => KubeletMode.HugeValues,
            "expired-cert" => KubeletMode.ExpiredCertificate,
            "wrong-host-cert" => KubeletMode.WrongHostCertificate,
            "wrong-ca-cert" => KubeletMode.WrongCaCertificate,
            "close-mid-body" => KubeletMode.CloseMidBody,
            "html" => KubeletMode.Html,
            _ => (KubeletMode)(-1),
        };
        return (int)mode >= 0;
    }

    public static string Name(KubeletMode mode) => mode switch
    {
        KubeletMode.Hang => "hang",
        KubeletMode.Garbage => "garbage",
        KubeletMode.Error500 => "error500",
        KubeletMode.Huge => "huge",
        KubeletMode.CounterReset => "counter-reset",
        KubeletMode.Refuse => "refuse",
        KubeletMode.Slow => "slow",
        KubeletMode.NoSeries => "no-series",
        KubeletMode.DuplicateSeries => "duplicate-series",
        KubeletMode.NoTimestamps => "no-timestamps",
        KubeletMode.BackwardsTimestamps => "backwards-timestamps",
        KubeletMode.CounterBackwards => "counter-backwards",
        KubeletMode.HugeValues => "huge-values",
        KubeletMode.ExpiredCertificate => "expired-cert",
        KubeletMode.WrongHostCertificate => "wrong-host-cert",
        KubeletMode.WrongCaCertificate => "wrong-ca-cert",
        KubeletMode.CloseMidBody => "close-mid-body",
        KubeletMode.Html => "html",
        _ => "normal",
    };

    /// <summary>Where a counter of <paramref name="node"/> started: its own start, or the last reset if later.</summary>
    public long CounterStart(SimulatedNode node, long naturalStartUnixNanos) =>
        Math.Max(naturalStartUnixNanos, ResetUnixNanos(node.Index));
}
