namespace Edge.Protocol.Ota;

/// <summary>
/// A job document, schema <c>edge.ota-job/1</c>: retained on a device or group job topic (docs/protocol.md). The
/// device validates every member and reports <c>failed</c> with every problem listed when one is wrong.
/// </summary>
internal sealed record OtaJobDocument
{
    public string Schema { get; set; } = OtaSchemas.Job;

    /// <summary>1-64 characters of letters, digits, '-', '_' and '.'; unique per fleet.</summary>
    public string JobId { get; set; } = "";

    public DateTimeOffset? CreatedUtc { get; init; }

    public OtaPackageInfo Package { get; set; } = new();

    public OtaTransfer Transfer { get; set; } = new();

    public OtaConstraints Constraints { get; set; } = new();

    /// <summary>Lets the package version be older than or equal to the active one. Default false (anti-rollback).</summary>
    public bool AllowDowngrade { get; init; }

    public OtaHealthGate HealthGate { get; set; } = new();
}
