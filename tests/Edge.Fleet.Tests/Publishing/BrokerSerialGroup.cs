namespace Edge.Fleet.Tests.Publishing;

/// <summary>
/// Tests that start their own Mosquitto run one at a time: run side by side, one of them intermittently lost its
/// connection (its broker's port was apparently taken over by the other's; FreePort hands out a port that is free only
/// at that instant).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerSerialGroup
{
    public const string Name = "fleet-broker";
}
