namespace Edge.Quickstart.Fleet;

/// <summary>One device in a rollout: its wave (1-based), final rollout state and the reason the fleet recorded.</summary>
internal sealed record DeviceOutcome(string Device, int Wave, string State, string? Reason);
