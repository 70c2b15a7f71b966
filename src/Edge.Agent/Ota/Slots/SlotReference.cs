namespace Edge.Agent.Ota.Slots;

/// <summary>One of the two slot folders and the model it holds.</summary>
internal sealed record SlotReference
{
    /// <summary><c>a</c> or <c>b</c>.</summary>
    public required string Slot { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }
}
