namespace Edge.Fleet.Inventory;

/// <summary>One device as the inventory sees it: its retained status, labels and any open deployment job.</summary>
internal sealed record DeviceRecord
{
    public required string Fleet { get; init; }

    public required string Device { get; init; }

    public required bool Online { get; init; }

    /// <summary>Why it is offline: <c>shutdown</c>, <c>connection-lost</c> (Last Will); null when online.</summary>
    public string? Reason { get; init; }

    /// <summary>The latest time the tool knows the device was alive: its status timestamp or its latest telemetry.</summary>
    public DateTimeOffset? LastSeen { get; init; }

    public string? Board { get; init; }

    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? AgentVersion { get; init; }

    public string? SdkVersion { get; init; }

    public IReadOnlyList<ModelFact> Models { get; init; } = [];

    /// <summary>The device's hardware class, which a package's passport is matched against; null from agents that do not report it.</summary>
    public HardwareFacts? Hardware { get; init; }

    /// <summary>Operator-assigned labels (<c>edge-fleet label</c>), e.g. <c>site=lobby</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The open deployment job on this device, e.g. <c>dep-42 (downloading 40%)</c>; null when none.</summary>
    public string? OpenJob { get; init; }

    /// <summary>The active model as <c>name@version</c> (the first model), or null.</summary>
    public string? ActiveModel => Models.Count == 0 ? null : $"{Models[0].Name}@{Models[0].Version}";
}
