using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Passes.Pack;

/// <summary>
/// Options of the pack step: what goes into the signed package besides the model it receives. The model comes from
/// the previous step (or the recipe's input) and the package goes to the recipe's output.
/// </summary>
internal sealed class PackOptions
{
    /// <summary>Package name: a-z, 0-9, '.', '_', '-'. Required.</summary>
    public string Name { get; init; } = "";

    /// <summary>Package version, SemVer 2.0 (for example <c>1.2.0</c>). Required.</summary>
    public string Version { get; init; } = "";

    /// <summary>Target architectures or runtime identifiers (<c>x64</c>, <c>linux-arm64</c>). At least one.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Execution providers the package is meant for. Default <c>cpu</c>.</summary>
    public IReadOnlyList<string> Providers { get; init; } = ["cpu"];

    /// <summary>Oldest SDK version that may run the package; null: this SDK's version.</summary>
    public string? MinSdk { get; init; }

    /// <summary>Preprocessing spec (JSON object) shipped with the model.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Preprocess { get; init; }

    /// <summary>Class labels, one per line.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Labels { get; init; }

    /// <summary>Golden samples in the ONNX test-data layout, checked on the device before the model serves.</summary>
    [RecipePath(RecipePathKind.Folder)]
    public string? Golden { get; init; }

    /// <summary>Absolute tolerance of golden outputs. Default 1e-4.</summary>
    public double GoldenAtol { get; init; } = 1e-4;

    /// <summary>Relative tolerance of golden outputs. Default 1e-3.</summary>
    public double GoldenRtol { get; init; } = 1e-3;

    /// <summary>Private signing keys (PEM); several sign for key rotation. At least one.</summary>
    [RecipePath(RecipePathKind.File)]
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Parent package as <c>name@version</c>, recorded as lineage.</summary>
    public string? Parent { get; init; }

    /// <summary>The recipe that made the model, recorded as lineage; null: the running recipe when steps ran before pack.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Recipe { get; init; }

    /// <summary>Measured metrics (JSON object of numbers and strings) shipped in the manifest.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Metrics { get; init; }

    /// <summary>Measured latency per hardware class (the manifest's <c>passport</c> object, JSON), signed with the manifest.</summary>
    [RecipePath(RecipePathKind.File)]
    public string? Passport { get; init; }

    /// <summary>Reference dataset (<c>mnist:dir</c>, <c>images:dir@0:500</c>, ...) the drift reference is computed over; null for none.</summary>
    [RecipePath(RecipePathKind.Dataset)]
    public string? ReferenceData { get; init; }

    /// <summary>Most samples of <see cref="ReferenceData"/> the drift reference covers. Default 500.</summary>
    public int ReferenceSamples { get; init; } = Drift.DriftReferenceBuilder.DefaultSamples;
}
