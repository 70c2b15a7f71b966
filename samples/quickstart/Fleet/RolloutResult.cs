namespace Edge.Quickstart.Fleet;

/// <summary>How one <c>edge-fleet deploy</c> ended: exit code, the deployment's final state line, and each device's state.</summary>
internal sealed record RolloutResult(string Version, string DeploymentId, int ExitCode, string State, string Outcome, double Seconds, IReadOnlyList<DeviceOutcome> Devices);

/// <summary>One device in a rollout: its wave (1-based), final rollout state and the reason the fleet recorded.</summary>
internal sealed record DeviceOutcome(string Device, int Wave, string State, string? Reason);
