namespace TinyMetrics.Simulator.Certificates;

/// <summary>One step of a CA rotation; each needs the previous one to have happened.</summary>
public enum RotationPhase
{
    /// <summary>Trust a new CA beside the old one; leaves still come from the old CA.</summary>
    Add,

    /// <summary>Serve and present leaves issued by the new CA.</summary>
    Switch,

    /// <summary>Trust only the new CA.</summary>
    Drop,
}
