namespace Edge.Protocol.Ota;

/// <summary>The devices a job is for; names as in the package manifest's target (<c>x64</c>, <c>cpu</c>).</summary>
public sealed record OtaTarget
{
    /// <summary>Lowercase .NET architecture names; the device's must be one of them.</summary>
    public IReadOnlyList<string> Architectures { get; set; } = [];

    /// <summary>Short lowercase execution provider names; the device must have at least one.</summary>
    public IReadOnlyList<string> ExecutionProviders { get; set; } = [];
}
