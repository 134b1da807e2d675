namespace TinyMetrics.Simulator;

/// <summary><c>--shape</c>: how pods, containers, labels and kubelet bodies are drawn.</summary>
public enum SimulatorShape
{
    /// <summary>
    /// As a production cluster: 1–3 containers per pod (mean 2), 3–5 labels per pod, 1.29+ kubelet bodies with
    /// pod-level and swap families, and every fourth node an older kubelet (<see cref="Model.KubeletDialect.Legacy"/>).
    /// </summary>
    Realistic,

    /// <summary>
    /// <see cref="SimulatorOptions.ContainersPerPod"/> containers plus a sidecar every <see cref="SimulatorOptions.SidecarEvery"/>th
    /// pod, two labels, one kubelet dialect without swap.
    /// </summary>
    Simple,
}
