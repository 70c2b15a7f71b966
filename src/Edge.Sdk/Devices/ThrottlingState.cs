namespace Edge.Sdk.Devices;

/// <summary>Raspberry Pi firmware throttling flags (<c>get_throttled</c>): "now" bits and "since boot" bits.</summary>
/// <param name="RawFlags">The firmware's bit field as read.</param>
public sealed record ThrottlingState(int RawFlags)
{
    /// <summary>Supply voltage is too low right now (bit 0).</summary>
    public bool UnderVoltage => (RawFlags & 0x1) != 0;

    /// <summary>The ARM clock is capped right now (bit 1).</summary>
    public bool FrequencyCapped => (RawFlags & 0x2) != 0;

    /// <summary>The CPU is throttled right now (bit 2).</summary>
    public bool Throttled => (RawFlags & 0x4) != 0;

    /// <summary>The soft temperature limit is active right now (bit 3).</summary>
    public bool SoftTemperatureLimit => (RawFlags & 0x8) != 0;

    /// <summary>Under-voltage happened since boot (bit 16).</summary>
    public bool UnderVoltageOccurred => (RawFlags & 0x10000) != 0;

    /// <summary>Throttling happened since boot (bit 18).</summary>
    public bool ThrottlingOccurred => (RawFlags & 0x40000) != 0;
}
