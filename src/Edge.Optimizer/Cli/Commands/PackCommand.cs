using System.CommandLine;
using Edge.CommandLine;
using Edge.Optimizer.Passes.Pack;
using Edge.Optimizer.Pipeline;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize pack &lt;model.onnx&gt; --name N --version V --target linux-x64,linux-arm64 --key private.pem -o model.edgepkg</c>:
/// a signed model package with the model, its external data, signatures, and optional preprocessing, labels, golden
/// samples, lineage and metrics. Parses its options into a recipe with one pack step and runs it through the pipeline.
/// </summary>
internal static class PackCommand
{
    public static Command Build(CliContext context)
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model; external-data files it refers to are included." };
        var name = new Option<string>("--name") { Description = "Package name: a-z, 0-9, '.', '_', '-'.", Required = true };
        var version = new Option<string>("--version") { Description = "Package version (SemVer 2.0, e.g. 1.2.0).", Required = true };
        var target = new Option<string[]>("--target") { Description = "Target architectures or RIDs, comma-separated (x64, arm64, linux-arm64...).", Required = true };
        var provider = new Option<string[]>("--provider") { Description = "Execution providers, comma-separated (cpu, cuda, tensorrt). Default: cpu." };
        var minimumSdk = new Option<string?>("--min-sdk") { Description = "Oldest Edge SDK version that may run the package. Default: this SDK's version." };
        var preprocess = new Option<FileInfo?>("--preprocess") { Description = "Preprocessing spec (JSON object)." };
        var labels = new Option<FileInfo?>("--labels") { Description = "Class labels, one per line." };
        var golden = new Option<DirectoryInfo?>("--golden") { Description = "Golden samples: input_K.pb/output_K.pb (ONNX TensorProto), directly or in subfolders." };
        var atol = new Option<double>("--golden-atol") { Description = "Absolute tolerance of golden outputs.", DefaultValueFactory = _ => 1e-4 };
        var rtol = new Option<double>("--golden-rtol") { Description = "Relative tolerance of golden outputs.", DefaultValueFactory = _ => 1e-3 };
        var key = new Option<FileInfo[]>("--key") { Description = "Private signing key (PEM); repeat to sign with several (key rotation).", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .edgepkg file to write.", Required = true };
        var parent = new Option<string?>("--parent") { Description = "Parent package, NAME@VERSION, recorded as lineage." };
        var recipe = new Option<FileInfo?>("--recipe") { Description = "Optimizer recipe (JSON object) that produced the model, recorded as lineage." };
        var metrics = new Option<FileInfo?>("--metrics") { Description = "Measured metrics (JSON object of numbers and strings)." };
        var passport = new Option<FileInfo?>("--passport") { Description = "Measured latency per hardware class (JSON passport object, docs/package-format.md), signed with the manifest." };
        var referenceData = new Option<string?>("--reference-data") { Description = "Dataset (mnist:DIR, images:DIR@0:500, npy:FILE, testdata:DIR) the model runs over to record its drift reference: per-channel input moments and a confidence histogram." };
        var referenceSamples = new Option<int>("--reference-samples") { Description = "Most samples of --reference-data the drift reference covers.", DefaultValueFactory = _ => Drift.DriftReferenceBuilder.DefaultSamples };
        var command = new Command("pack", "Build a signed .edgepkg model package.")
        {
            model, name, version, target, provider, minimumSdk, preprocess, labels, golden, atol, rtol, key, output, parent, recipe, metrics, passport,
            referenceData, referenceSamples,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new PackOptions
            {
                Name = parseResult.GetRequiredValue(name),
                Version = parseResult.GetRequiredValue(version),
                Targets = parseResult.GetValue(target) ?? [],
                Providers = parseResult.GetValue(provider) is { Length: > 0 } providers ? providers : ["cpu"],
                MinSdk = parseResult.GetValue(minimumSdk),
                Preprocess = parseResult.GetValue(preprocess)?.FullName,
                Labels = parseResult.GetValue(labels)?.FullName,
                Golden = parseResult.GetValue(golden)?.FullName,
                GoldenAtol = parseResult.GetValue(atol),
                GoldenRtol = parseResult.GetValue(rtol),
                Keys = [.. (parseResult.GetValue(key) ?? []).Select(f => f.FullName)],
                Parent = parseResult.GetValue(parent),
                Recipe = parseResult.GetValue(recipe)?.FullName,
                Metrics = parseResult.GetValue(metrics)?.FullName,
                Passport = parseResult.GetValue(passport)?.FullName,
                ReferenceData = parseResult.GetValue(referenceData),
                ReferenceSamples = parseResult.GetValue(referenceSamples),
            };
            var run = new Recipe
            {
                Input = parseResult.GetRequiredValue(model).FullName,
                Output = parseResult.GetRequiredValue(output).FullName,
                Steps = [PipelineCommand.Step(new PackPass(TimeProvider.System), options)],
            };
            return await PipelineCommand.RunAsync(context, parseResult, run, reportPath: null, fromStep: 1, sourceRecipePath: null, cancellationToken);
        });
        return command;
    }
}
