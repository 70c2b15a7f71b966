using Edge.Packaging;

namespace Edge.Agent.Ota.Slots;

/// <summary>
/// <c>slot.json</c>, written into a slot after its package verified and extracted: what the health gate and the
/// boot check need without re-reading the package. Paths are relative to the slot folder.
/// </summary>
internal sealed record SlotManifest
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string PackageSha256 { get; init; }

    public required string ModelPath { get; init; }

    public IReadOnlyList<SlotFile> Files { get; init; } = [];

    public IReadOnlyList<PackageGoldenSample> Golden { get; init; } = [];

    /// <summary>The package's drift reference (docs/agent.md, "Drift"); null without one, and in slots staged before drift existed.</summary>
    public PackageDriftReference? DriftReference { get; init; }
}
