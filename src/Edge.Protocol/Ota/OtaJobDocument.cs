namespace Edge.Protocol.Ota;

/// <summary>
/// A job document, schema <c>edge.ota-job/1</c>: retained on a device or group job topic (docs/protocol.md). The
/// device validates every member and reports <c>failed</c> with every problem listed when one is wrong.
/// </summary>
public sealed record OtaJobDocument
{
    /// <summary>Always <see cref="OtaSchemas.Job"/>.</summary>
    public string Schema { get; set; } = OtaSchemas.Job;

    /// <summary>1-64 characters of letters, digits, '-', '_' and '.'; unique per fleet.</summary>
    public string JobId { get; set; } = "";

    /// <summary>When the operator issued the job (signed, for replay bookkeeping); null in documents from before it was added.</summary>
    public DateTimeOffset? CreatedUtc { get; init; }

    /// <summary>The package to install.</summary>
    public OtaPackageInfo Package { get; set; } = new();

    /// <summary>How the device downloads the package.</summary>
    public OtaTransfer Transfer { get; set; } = new();

    /// <summary>When and where the job may run: target, battery, time windows, disk.</summary>
    public OtaConstraints Constraints { get; set; } = new();

    /// <summary>Lets the package version be older than or equal to the active one. Default false (anti-rollback).</summary>
    public bool AllowDowngrade { get; init; }

    /// <summary>The checks the new model must pass before and after it is activated.</summary>
    public OtaHealthGate HealthGate { get; set; } = new();

    /// <summary>When set, the job measures the package beside the served model instead of installing it; null for an install.</summary>
    public OtaBenchRequest? Bench { get; init; }

    /// <summary>When set, the candidate is shadowed on live calls after the golden gate and promoted only on its figures; null for none.</summary>
    public OtaShadowRequest? Shadow { get; init; }
}
