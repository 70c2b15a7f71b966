using Edge.Agent.Ota.Shadow;

namespace Edge.Agent.Tests.Ota.Support;

/// <summary>A device that reports a fixed amount of available memory (the hardware seam of the shadow's memory check).</summary>
internal sealed class FixedMemory(long bytes) : IAvailableMemory
{
    public long? AvailableBytes() => bytes;
}
