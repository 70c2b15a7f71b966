namespace Edge.Protocol;

/// <summary>What the birth message says about the device.</summary>
public sealed record DeviceFacts
{
    /// <summary>The board model as the device reports it (for example <c>Raspberry Pi 5 Model B Rev 1.0</c>), or <c>unknown</c>.</summary>
    public required string Board { get; init; }

    /// <summary>Operating system name and version (for example <c>Debian GNU/Linux 12 (bookworm)</c>).</summary>
    public required string Os { get; init; }

    /// <summary>Lowercase process architecture (<c>x64</c>, <c>arm64</c>), the names package targets use.</summary>
    public required string Architecture { get; init; }

    /// <summary>The agent's version (SemVer).</summary>
    public required string AgentVersion { get; init; }

    /// <summary>The Edge SDK version on the device (SemVer), checked against a package's minimum SDK version.</summary>
    public required string SdkVersion { get; init; }

    /// <summary>The models the device serves now, with their versions; empty when none is loaded.</summary>
    public required IReadOnlyList<ModelFact> Models { get; init; }

    /// <summary>The device's hardware class (CPU, instruction sets, ONNX Runtime, execution provider); null from agents before it was added.</summary>
    public HardwareFacts? Hardware { get; init; }
}
