namespace Edge.Fleet.Tests.Simulation;

/// <summary>
/// Tests that run simulated fleets share this collection so they never run at once: the SDK meter is process-wide
/// and measurements are told apart only by the device id, so two fleets with the same ids would mix their figures.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimulatedFleetGroup
{
    public const string Name = "simulated-fleet";
}
