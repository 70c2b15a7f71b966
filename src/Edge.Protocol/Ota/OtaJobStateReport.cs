namespace Edge.Protocol.Ota;

/// <summary>
/// A job state report, schema <c>edge.ota-state/1</c>, published retained on <c>edge/{fleet}/{device}/ota/state</c>
/// at every state change and every few seconds of progress. Receivers keep the latest per device and job.
/// </summary>
public sealed record OtaJobStateReport
{
    /// <summary>Always <see cref="OtaSchemas.State"/>.</summary>
    public string Schema { get; set; } = OtaSchemas.State;

    /// <summary>The job reported on.</summary>
    public required string JobId { get; init; }

    /// <summary>The reporting device's fleet id.</summary>
    public required string Fleet { get; init; }

    /// <summary>The reporting device's id.</summary>
    public required string Device { get; init; }

    /// <summary>One of <see cref="OtaJobStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>When the device entered the state or measured the progress (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Why the job failed or was rolled back, or why it waits (budget, deferral); null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>Finer step inside a state, for example <c>gate</c> or <c>watch</c> in health-checking.</summary>
    public string? Phase { get; init; }

    /// <summary>Download progress while downloading or verifying; null otherwise.</summary>
    public OtaProgress? Progress { get; init; }

    /// <summary>Version of the model active when the job started.</summary>
    public string? FromVersion { get; init; }

    /// <summary>The job's package version.</summary>
    public string? ToVersion { get; init; }

    /// <summary>The version serving now (after success: the new one; after failure or rollback: the old one).</summary>
    public string? ActiveVersion { get; init; }

    /// <summary>Measured figures behind a health decision, for example <c>candidateP95Ms</c>, <c>currentP95Ms</c>, <c>maxAbsError</c>.</summary>
    public IReadOnlyDictionary<string, double>? Figures { get; init; }

    /// <summary>A bench job's measurement, on its <c>succeeded</c> report; null otherwise.</summary>
    public OtaBenchResult? Bench { get; init; }

    /// <summary>A shadowed job's figures: on its <c>shadow</c> progress reports and on its terminal report once it shadowed; null otherwise.</summary>
    public OtaShadowFigures? Shadow { get; init; }
}
