namespace Edge.Agent.Protocol;

/// <summary>What the birth message says about the device.</summary>
internal sealed record DeviceFacts
{
    public required string Board { get; init; }

    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public required string AgentVersion { get; init; }

    public required string SdkVersion { get; init; }

    public required IReadOnlyList<ModelFact> Models { get; init; }
}
