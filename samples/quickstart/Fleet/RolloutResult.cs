namespace Edge.Quickstart.Fleet;

/// <summary>How one <c>edge-fleet deploy</c> ended: exit code, the deployment's final state line, and each device's state.</summary>
internal sealed record RolloutResult(string Version, string DeploymentId, int ExitCode, string State, string Outcome, double Seconds, IReadOnlyList<DeviceOutcome> Devices);
