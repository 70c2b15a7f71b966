namespace Edge.Agent.Tests.Ota;

/// <summary>OTA tests time models and kill processes: they run one class at a time so they do not skew each other's latency gates.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OtaSerialGroup
{
    public const string Name = "ota";
}
