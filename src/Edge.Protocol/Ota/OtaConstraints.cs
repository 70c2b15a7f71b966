namespace Edge.Protocol.Ota;

/// <summary>Conditions a device checks before it downloads anything.</summary>
public sealed record OtaConstraints
{
    /// <summary>Architectures and execution providers the package is built for; null accepts any (the package's own target is still checked).</summary>
    public OtaTarget? Target { get; init; }

    /// <summary>The oldest agent version (SemVer) that may run the job; null for any.</summary>
    public string? MinimumAgentVersion { get; init; }

    /// <summary>After this instant the job is not started (and a download in progress is abandoned) with reason <c>deadline passed</c>.</summary>
    public DateTimeOffset? Deadline { get; init; }
}
