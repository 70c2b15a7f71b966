namespace Edge.Fleet.Bench;

/// <summary>The devices a group bench measures on: one online device per hardware class.</summary>
/// <param name="Members">How many devices the group holds.</param>
/// <param name="Devices">The devices chosen, one per hardware class.</param>
/// <param name="Skipped">Members left out, each with the reason (offline, no hardware class).</param>
public sealed record GroupBenchTargets(int Members, IReadOnlyList<string> Devices, IReadOnlyList<string> Skipped);
