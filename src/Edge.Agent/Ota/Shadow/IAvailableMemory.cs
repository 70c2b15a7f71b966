namespace Edge.Agent.Ota.Shadow;

/// <summary>Memory the system could give a new session. The platform seam for the shadow's memory check; tests substitute it.</summary>
internal interface IAvailableMemory
{
    /// <summary>Available bytes, or null where the platform does not say.</summary>
    long? AvailableBytes();
}
