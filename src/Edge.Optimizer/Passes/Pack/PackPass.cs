using System.Globalization;
using System.Text.Json.Nodes;
using Edge.Onnx;
using Edge.Optimizer.Packaging;
using Edge.Optimizer.Pipeline;
using Edge.Packaging;

namespace Edge.Optimizer.Passes.Pack;

/// <summary>
/// The last step of a recipe: packs the model it receives into a signed <c>.edgepkg</c> at the step's output path,
/// with the recipe that made the model as lineage. The model itself is not changed.
/// </summary>
internal sealed class PackPass(TimeProvider time) : IOptimizationPass<PackOptions>
{
    public PassDescriptor Descriptor { get; } = new(
        "pack",
        "Build a signed .edgepkg model package from the model.",
        NeedsData: false,
        Precisions: [],
        Targets: ["cpu", "cuda", "tensorrt"],
        Produces: ArtifactKind.Package);

    public IReadOnlyList<string> Validate(PackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Name.Length == 0)
        {
            errors.Add("name is required (a-z, 0-9, '.', '_', '-')");
        }

        if (options.Version.Length == 0)
        {
            errors.Add("version is required (SemVer 2.0, for example 1.2.0)");
        }

        // The packager checks the rest (files, targets, parent, tolerances) with every error at once; the model and
        // output paths are placeholders here, known only when the step runs.
        errors.AddRange(ToPackagerOptions(options, modelPath: null, outputPath: "", recipePath: options.Recipe, commandLine: "").Validate());
        return errors;
    }

    public async Task<PassResult> RunAsync(OnnxModel input, PackOptions options, PassContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var outputPath = context.OutputPath ?? throw new ArgumentException("The pack step needs an output path for the package.", nameof(context));
        using var scratch = new ScratchDirectory("pack");
        var modelPath = context.InputPath ?? await scratch.WriteAsync(input, "model", cancellationToken);
        var lineage = options.Recipe ?? (context.StepIndex > 1 ? context.RecipePath : null);
        var packagerOptions = ToPackagerOptions(options, modelPath, outputPath, lineage, context.CommandLine ?? "");
        var manifest = await ModelPackager.PackAsync(packagerOptions, time, cancellationToken);
        var bytes = new FileInfo(outputPath).Length;
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packed {manifest.Name} {manifest.Version} ({manifest.Files.Count} file(s), {bytes:N0} bytes, {manifest.Golden.Count} golden sample(s))"));
        if (options.ReferenceData is not null)
        {
            context.Log.WriteLine(DescribeDrift(manifest.DriftReference));
        }
        var report = new JsonObject
        {
            ["package"] = outputPath,
            ["name"] = manifest.Name,
            ["version"] = manifest.Version,
            ["bytes"] = bytes,
            ["files"] = manifest.Files.Count,
            ["golden_samples"] = manifest.Golden.Count,
            ["drift_reference_samples"] = manifest.DriftReference?.Samples,
            ["inputs"] = new JsonArray([.. manifest.Inputs.Select(t => (JsonNode)$"{t.Name} {t.ElementType}[{string.Join(",", t.Shape)}]")]),
            ["outputs"] = new JsonArray([.. manifest.Outputs.Select(t => (JsonNode)$"{t.Name} {t.ElementType}[{string.Join(",", t.Shape)}]")]),
        };
        return new PassResult(input, report, []) { ArtifactPath = outputPath };
    }

    /// <summary>One line on the drift reference <c>--reference-data</c> asked for: what devices will compare, or why nothing.</summary>
    internal static string DescribeDrift(PackageDriftReference? reference) => reference is null
        ? "drift reference: not recorded: the model has no float32 input to summarise and its output is neither a classifier's nor a detector's, so devices would have nothing to compare"
        : string.Create(CultureInfo.InvariantCulture, $"drift reference: {reference.Samples} samples, task {reference.Task}; inputs: ")
            + (reference.Inputs.Count == 0 ? "none (no float32 input)" : string.Join(", ", reference.Inputs.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Name} ({i.Means.Count} channel(s))"))))
            + (reference.Confidence is null ? "; no confidence histogram (raw outputs)" : "; confidence histogram of 10 bins");

    private static PackagerOptions ToPackagerOptions(PackOptions options, string? modelPath, string outputPath, string? recipePath, string commandLine) => new()
    {
        ModelPath = modelPath ?? "",
        Name = options.Name,
        Version = options.Version,
        Targets = SplitList(options.Targets),
        ExecutionProviders = SplitList(options.Providers) is { Count: > 0 } providers ? providers : ["cpu"],
        MinimumSdkVersion = options.MinSdk,
        PreprocessPath = options.Preprocess,
        LabelsPath = options.Labels,
        GoldenDirectory = options.Golden,
        GoldenAtol = options.GoldenAtol,
        GoldenRtol = options.GoldenRtol,
        KeyPaths = options.Keys,
        OutputPath = outputPath,
        Parent = options.Parent,
        RecipePath = recipePath,
        MetricsPath = options.Metrics,
        PassportPath = options.Passport,
        ReferenceData = options.ReferenceData,
        ReferenceSamples = options.ReferenceSamples,
        CommandLine = commandLine,
    };

    private static List<string> SplitList(IEnumerable<string> values) =>
        [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
