using System.Text.Json;

namespace Edge.Packaging;

/// <summary>
/// The contents of a package's <c>manifest.json</c>: identity, target, files with their hashes, the model's
/// input and output signatures, preprocessing, labels, lineage, metrics, golden samples and the optional passport.
/// See <c>docs/package-format.md</c> for the schema. Instances read from a package were verified before being exposed.
/// </summary>
public sealed class PackageManifest
{
    /// <summary>The format version this SDK writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Package format version; 1 for this SDK.</summary>
    public int FormatVersion { get; init; }

    /// <summary>Package name: lowercase letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, 1 to 100 characters, starting with a letter or digit.</summary>
    public string Name { get; init; } = "";

    /// <summary>Package version, a Semantic Versioning 2.0.0 string such as <c>1.4.0-rc.1</c>.</summary>
    public string Version { get; init; } = "";

    /// <summary>When the package was created, in UTC.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>The tool that created the package.</summary>
    public PackageTool Tool { get; init; } = new();

    /// <summary>Where the package may run.</summary>
    public PackageTarget Target { get; init; } = new();

    /// <summary>Every file in the package besides the manifest and its signature, in archive order.</summary>
    public IReadOnlyList<PackageFile> Files { get; init; } = [];

    /// <summary>The model's inputs, in graph order.</summary>
    public IReadOnlyList<PackageTensorSignature> Inputs { get; init; } = [];

    /// <summary>The model's outputs, in graph order.</summary>
    public IReadOnlyList<PackageTensorSignature> Outputs { get; init; } = [];

    /// <summary>The preprocessing spec as a JSON object, or null when the model takes raw tensors.</summary>
    public JsonElement? Preprocess { get; init; }

    /// <summary>Class labels by output index, or empty.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Where the package came from.</summary>
    public PackageLineage Lineage { get; init; } = new();

    /// <summary>Measured metrics (numbers or strings) as a JSON object, or null.</summary>
    public JsonElement? Metrics { get; init; }

    /// <summary>Golden samples: inputs with expected outputs and tolerances.</summary>
    public IReadOnlyList<PackageGoldenSample> Golden { get; init; } = [];

    /// <summary>
    /// Measured latency and accuracy per hardware class, or null when none was measured. Covered by the manifest's
    /// signature like every other member; omitted from <c>manifest.json</c> when null.
    /// </summary>
    public PackagePassport? Passport { get; init; }

    /// <summary>
    /// Statistics of the inputs and output confidences over a reference dataset, which devices compare their live
    /// traffic with (docs/agent.md, "Drift"), or null when none were computed. Signed like every other member;
    /// omitted from <c>manifest.json</c> when null.
    /// </summary>
    public PackageDriftReference? DriftReference { get; init; }

    /// <summary>
    /// Returns a copy of this manifest with <see cref="DriftReference"/> replaced and every other member kept, for tools
    /// that re-sign a package after computing its reference statistics.
    /// </summary>
    /// <param name="reference">The new drift reference, or null to remove it.</param>
    public PackageManifest WithDriftReference(PackageDriftReference? reference) => Copy(Passport, reference);

    /// <summary>
    /// Returns a copy of this manifest with <see cref="Passport"/> replaced and every other member kept, for tools
    /// that re-sign a package after measuring it.
    /// </summary>
    /// <param name="passport">The new passport, or null to remove it.</param>
    public PackageManifest WithPassport(PackagePassport? passport) => Copy(passport, DriftReference);

    /// <summary>A copy with the two members that tools fill in after packing replaced and every other member kept.</summary>
    private PackageManifest Copy(PackagePassport? passport, PackageDriftReference? reference) => new()
    {
        FormatVersion = FormatVersion,
        Name = Name,
        Version = Version,
        CreatedUtc = CreatedUtc,
        Tool = Tool,
        Target = Target,
        Files = Files,
        Inputs = Inputs,
        Outputs = Outputs,
        Preprocess = Preprocess,
        Labels = Labels,
        Lineage = Lineage,
        Metrics = Metrics,
        Golden = Golden,
        Passport = passport,
        DriftReference = reference,
    };
}
