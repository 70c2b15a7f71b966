namespace Edge.Sdk.Tests;

/// <summary>
/// Tests that observe process-wide state (the allocation counter or the "Edge.Sdk" meter) run alone, so another
/// test's listener or traffic cannot make them pass or fail by accident.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "Serial";
}
