using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// A CA replaced without downtime, in the order a cluster does it: <see cref="RotationPhase.Add"/> trusts a new CA
/// beside the old one, <see cref="RotationPhase.Switch"/> moves the leaves to it, <see cref="RotationPhase.Drop"/>
/// trusts only the new one. Callers serialize the steps; readers see one consistent stage.
/// </summary>
internal sealed class RotatingCa
{
    // Replaced wholesale at each step, so the trust bundle and the signer are never read from two different stages.
    private State _state;

    public RotatingCa(X509Certificate2 initial) => _state = new State(initial, null, false);

    /// <summary>The CA whose leaves are in use.</summary>
    public X509Certificate2 Signer => Volatile.Read(ref _state) is { Switched: true, Incoming: { } incoming } ? incoming : Current;

    /// <summary>The CA that is trusted alone once no rotation is in progress.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _state).Current;

    /// <summary>The CA being rotated in, between add and drop.</summary>
    public X509Certificate2? Incoming => Volatile.Read(ref _state).Incoming;

    /// <summary>What a trust file holds: the incoming CA first, then the current one, PEM-concatenated.</summary>
    public string TrustPem
    {
        get
        {
            var state = Volatile.Read(ref _state);
            var current = state.Current.ExportCertificatePem();
            return state.Incoming is null ? current : state.Incoming.ExportCertificatePem() + "\n" + current;
        }
    }

    /// <summary>Null when <paramref name="phase"/> may run now, else why not (the previous step is missing).</summary>
    public string? Refusal(RotationPhase phase)
    {
        var state = Volatile.Read(ref _state);
        var stage = state.Incoming is null ? "idle" : state.Switched ? "switched" : "added";
        var needed = phase switch
        {
            RotationPhase.Add => "idle",
            RotationPhase.Switch => "added",
            _ => "switched",
        };
        return stage == needed ? null : $"cannot {Name(phase)}: the rotation is {stage}, {Name(phase)} needs it {needed}";
    }

    public void Add(X509Certificate2 incoming) => Advance(RotationPhase.Add, s => s with { Incoming = incoming });

    public void Switch() => Advance(RotationPhase.Switch, s => s with { Switched = true });

    public void Drop() => Advance(RotationPhase.Drop, s => new State(s.Incoming!, null, false));

    public static string Name(RotationPhase phase) => phase switch
    {
        RotationPhase.Add => "add",
        RotationPhase.Switch => "switch",
        _ => "drop",
    };

    public static bool TryParse(string? text, out RotationPhase phase)
    {
        phase = text switch
        {
            "add" => RotationPhase.Add,
            "switch" => RotationPhase.Switch,
            "drop" => RotationPhase.Drop,
            _ => (RotationPhase)(-1),
        };
        return phase >= 0;
    }

    private void Advance(RotationPhase phase, Func<State, State> next)
    {
        if (Refusal(phase) is { } refusal)
            throw new InvalidOperationException(refusal);
        Volatile.Write(ref _state, next(Volatile.Read(ref _state)));
    }

    private sealed record State(X509Certificate2 Current, X509Certificate2? Incoming, bool Switched);
}
