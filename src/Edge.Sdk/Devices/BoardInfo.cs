namespace Edge.Sdk.Devices;

/// <summary>What board this is.</summary>
/// <param name="Kind">The board family.</param>
/// <param name="Model">The model string from <c>/proc/device-tree/model</c> (for example "NVIDIA Jetson Orin Nano Developer Kit"), or null when absent.</param>
/// <param name="L4TVersion">Jetson only: the Linux for Tegra release from <c>/etc/nv_tegra_release</c> (for example "36.4.3"), else null.</param>
/// <param name="JetPackVersion">Jetson only: the JetPack release that ships that L4T version (for example "6.2"), or null when unknown.</param>
public sealed record BoardInfo(BoardKind Kind, string? Model, string? L4TVersion, string? JetPackVersion);
