using System.Collections.Frozen;
using System.Security.Cryptography.X509Certificates;

namespace TinyMetrics.Simulator.Certificates;

/// <summary>
/// The kubelet serving certificates in use, published together with their generation so a handshake that picks a
/// certificate also knows which generation it belongs to.
/// </summary>
internal sealed record KubeletServing(FrozenDictionary<string, X509Certificate2> ByNode, int Generation);
