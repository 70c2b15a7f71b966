namespace Edge.Sdk.Devices;

/// <summary>The family of board the app runs on.</summary>
public enum BoardKind
{
    /// <summary>Anything not recognised (a PC, a VM, another single-board computer).</summary>
    Generic = 0,

    /// <summary>NVIDIA Jetson (Nano, Xavier, Orin, ...).</summary>
    Jetson = 1,

    /// <summary>Raspberry Pi.</summary>
    RaspberryPi = 2,
}
