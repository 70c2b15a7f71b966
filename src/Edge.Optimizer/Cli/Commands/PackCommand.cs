using System.CommandLine;
using System.Globalization;
using Edge.Optimizer.Packaging;
using Edge.Packaging;

namespace Edge.Optimizer.Cli.Commands;

/// <summary>
/// <c>edge-optimize pack &lt;model.onnx&gt; --name N --version V --target linux-x64,linux-arm64 --key private.pem -o model.edgepkg</c>:
/// a signed model package with the model, its external data, signatures, and optional preprocessing, labels, golden samples, lineage and metrics.
/// </summary>
internal static class PackCommand
{
    public static Command Build(CliContext context, TimeProvider time)
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
        var command = new Command("pack", "Build a signed .edgepkg model package.")
        {
            model, name, version, target, provider, minimumSdk, preprocess, labels, golden, atol, rtol, key, output, parent, recipe, metrics,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new PackagerOptions
            {
                ModelPath = parseResult.GetRequiredValue(model).FullName,
                Name = parseResult.GetRequiredValue(name),
                Version = parseResult.GetRequiredValue(version),
                Targets = SplitList(parseResult.GetValue(target)),
                ExecutionProviders = SplitList(parseResult.GetValue(provider)) is { Count: > 0 } providers ? providers : ["cpu"],
                MinimumSdkVersion = parseResult.GetValue(minimumSdk),
                PreprocessPath = parseResult.GetValue(preprocess)?.FullName,
                LabelsPath = parseResult.GetValue(labels)?.FullName,
                GoldenDirectory = parseResult.GetValue(golden)?.FullName,
                GoldenAtol = parseResult.GetValue(atol),
                GoldenRtol = parseResult.GetValue(rtol),
                KeyPaths = (parseResult.GetValue(key) ?? []).Select(f => f.FullName).ToArray(),
                OutputPath = parseResult.GetRequiredValue(output).FullName,
                Parent = parseResult.GetValue(parent),
                RecipePath = parseResult.GetValue(recipe)?.FullName,
                MetricsPath = parseResult.GetValue(metrics)?.FullName,
                CommandLine = "dotnet edge-optimize " + string.Join(' ', parseResult.Tokens.Select(t => Quote(t.Value))),
            };
            var manifest = await ModelPackager.PackAsync(options, time, cancellationToken);
            var bytes = new FileInfo(options.OutputPath).Length;
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"packed {manifest.Name} {manifest.Version} -> {options.OutputPath} ({manifest.Files.Count} file(s), {bytes} bytes, {manifest.Golden.Count} golden sample(s))"));
            await context.Output.WriteLineAsync(
                $"inputs: {string.Join(", ", manifest.Inputs.Select(Describe))}; outputs: {string.Join(", ", manifest.Outputs.Select(Describe))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static List<string> SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();

    private static string Describe(PackageTensorSignature tensor) =>
        $"{tensor.Name} {tensor.ElementType}[{string.Join(",", tensor.Shape)}]";

    private static string Quote(string token) =>
        token.Length > 0 && token.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'') ? token : $"'{token.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
