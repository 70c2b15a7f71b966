namespace Edge.Agent.Ota.Jobs;

/// <summary>Values of <see cref="OtaJobStateReport.Phase"/> (and the journal's phase).</summary>
internal static class Phases
{
    public const string Deferred = "deferred";
    /// <summary>Health-checking: the staged model's TensorRT engine is built into its slot's cache, before the gate.</summary>
    public const string Engine = "engine";
    public const string Gate = "gate";
    public const string Watch = "watch";

    /// <summary>Health-checking: a bench job times its package beside the served model.</summary>
    public const string Bench = "bench";

    /// <summary>Health-checking: after the gate, the staged candidate runs beside the served model on sampled live calls.</summary>
    public const string Shadow = "shadow";

    /// <summary>Written before the pointer is switched back, so a restart finishes the rollback instead of retrying the job.</summary>
    public const string Rollback = "rollback";
}
