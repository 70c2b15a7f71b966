using Edge.Packaging;
using Edge.Sdk.IO;

namespace Edge.Optimizer.Packaging;

/// <summary>What <see cref="ModelPackager"/> packs and how; built by <c>edge-optimize pack</c>. <see cref="Validate"/> lists every error at once.</summary>
internal sealed class PackagerOptions
{
    public required string ModelPath { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    /// <summary>Targets as given: architectures (<c>x64</c>) or runtime identifiers (<c>linux-arm64</c>).</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    public IReadOnlyList<string> ExecutionProviders { get; init; } = ["cpu"];

    /// <summary>Default: this SDK's version.</summary>
    public string? MinimumSdkVersion { get; init; }

    public string? PreprocessPath { get; init; }

    public string? LabelsPath { get; init; }

    /// <summary>A folder in the ONNX test-data layout: <c>input_K.pb</c>/<c>output_K.pb</c> directly, or in subfolders (one sample each).</summary>
    public string? GoldenDirectory { get; init; }

    public double GoldenAtol { get; init; } = 1e-4;

    public double GoldenRtol { get; init; } = 1e-3;

    public required IReadOnlyList<string> KeyPaths { get; init; }

    public required string OutputPath { get; init; }

    /// <summary>Parent package as <c>name@version</c>.</summary>
    public string? Parent { get; init; }

    public string? RecipePath { get; init; }

    public string? MetricsPath { get; init; }

    public string CommandLine { get; init; } = "";

    /// <summary>Measured latency per hardware class, written into the manifest (and so signed); null for none. Not with <see cref="PassportPath"/>.</summary>
    public PackagePassport? Passport { get; init; }

    /// <summary>A JSON file holding the passport (<see cref="PassportFile"/>); null for none. Not with <see cref="Passport"/>.</summary>
    public string? PassportPath { get; init; }

    /// <summary>A dataset spec (<see cref="Data.DatasetSpec"/>) to compute the drift reference over; null for none.</summary>
    public string? ReferenceData { get; init; }

    /// <summary>Most samples of <see cref="ReferenceData"/> the reference covers. Default 500.</summary>
    public int ReferenceSamples { get; init; } = Drift.DriftReferenceBuilder.DefaultSamples;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        CheckFile(errors, "model", ModelPath);
        CheckFile(errors, "--preprocess", PreprocessPath);
        CheckFile(errors, "--labels", LabelsPath);
        CheckFile(errors, "--recipe", RecipePath);
        CheckFile(errors, "--metrics", MetricsPath);
        CheckFile(errors, "--passport", PassportPath);
        if (Passport is not null && PassportPath is not null)
        {
            errors.Add("give the passport either as an object or as a --passport file, not both");
        }

        foreach (var key in KeyPaths)
        {
            CheckFile(errors, "--key", key);
        }

        if (KeyPaths.Count == 0)
        {
            errors.Add("--key is required: packages are signed (create a key with 'dotnet edge-optimize keys new')");
        }

        if (GoldenDirectory is not null && !Directory.Exists(GoldenDirectory))
        {
            errors.Add($"--golden folder '{GoldenDirectory}' {PathProblem.ForFolder(GoldenDirectory)}");
        }

        if (Targets.Count == 0)
        {
            errors.Add("--target needs at least one architecture or runtime identifier, such as linux-x64 or arm64");
        }

        errors.AddRange(Targets.Select(t => TargetNames.ArchitectureOf(t).Error).OfType<string>());
        if (Parent is not null && Parent.Split('@') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            errors.Add($"--parent '{Parent}' must be NAME@VERSION");
        }

        if (ReferenceData is not null)
        {
            try
            {
                Data.DatasetSpec.Parse(ReferenceData);
            }
            catch (FormatException e)
            {
                errors.Add($"--reference-data: {e.Message}");
            }
        }

        if (ReferenceSamples < 1)
        {
            errors.Add($"--reference-samples must be at least 1, but was {ReferenceSamples}");
        }

        if (!(GoldenAtol >= 0) || !(GoldenRtol >= 0))
        {
            errors.Add($"--golden-atol {GoldenAtol} and --golden-rtol {GoldenRtol} must be zero or more");
        }

        return errors;
    }

    private static void CheckFile(List<string> errors, string what, string? path)
    {
        if (!string.IsNullOrEmpty(path) && !File.Exists(path))
        {
            errors.Add($"{what} file '{path}' {PathProblem.ForFile(path)}");
        }
    }
}
