using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Edge.Optimizer.Cli;
using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Optimizer.Pipeline;
using Edge.Optimizer.Tests.Packaging;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class RunCommandTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static PackageOpenOptions Device => new() { Device = PackageDeviceDescription.Current };

    private static string MnistData(int from, int to) => $"mnist:{TestData.Directory("datasets/mnist")}@{from}:{to}";

    [Theory]
    [InlineData("static", "--calibration")]
    [InlineData("dynamic", null)]
    [InlineData("fp16", null)]
    public async Task Run_QuantizeRecipe_ReproducesTheModelByteForByte(string mode, string? calibrationFlag)
    {
        using var folder = new TemporaryFolder();
        var first = Path.Combine(folder.Path, "first.onnx");
        string[] calibration = calibrationFlag is null ? [] : [calibrationFlag, MnistData(0, 32)];
        await RunOkAsync(["quantize", Mnist, "-o", first, "--mode", mode, "--latency-runs", "0", "--no-layer-analysis", .. calibration]);

        await AssertReplaysAsync(first, folder.Path);
    }

    [Theory]
    [InlineData("channel")]
    [InlineData("magnitude")]
    public async Task Run_PruneRecipe_ReproducesTheModelByteForByte(string method)
    {
        using var folder = new TemporaryFolder();
        var first = Path.Combine(folder.Path, "first.onnx");
        await RunOkAsync(["prune", Mnist, "-o", first, "--method", method, "--sparsity", "0.25", "--channel-multiple", "1", "--no-latency"]);

        await AssertReplaysAsync(first, folder.Path);
    }

    [Fact]
    public async Task Run_DistillRecipe_ReproducesTheModelWithinTolerance()
    {
        using var folder = new TemporaryFolder();
        var first = Path.Combine(folder.Path, "first.onnx");
        await RunOkAsync(["distill", "--teacher", Mnist, "--width", "0.5", "-o", first, "--data", MnistData(0, 256), "--epochs", "1", "--batch-size", "32", "--seed", "3"]);
        var replayed = Path.Combine(folder.Path, "replayed.onnx");

        await RunOkAsync(["run", first + ".recipe.json", "-o", replayed]);

        Assert.True(Directory.Exists(replayed + ".checkpoint"), "a replay keeps its checkpoints beside its own output");

        // Training is seeded and runs on one libtorch thread per step order, but float sums may still differ in the
        // last bits between runs; the stated tolerance: outputs agree on top-1 for every sample and differ by at most
        // 1e-3 in absolute value.
        var comparison = ModelEvaluator.Evaluate(replayed, DatasetFactory.Open(MnistData(9000, 9200)), null, first, CpuSessionOptions.For(2), null, CancellationToken.None);
        Assert.Equal(1.0, comparison.Top1Agreement);
        Assert.True(comparison.MaxAbsoluteError <= 1e-3, $"max |difference| {comparison.MaxAbsoluteError}");
    }

    [Fact]
    public async Task Run_PackRecipe_PacksTheSameModel()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var first = await workspace.PackAsync(Mnist, "first");
        var replayed = workspace.PathOf("replayed.edgepkg");

        await RunOkAsync(["run", first + ".recipe.json", "-o", replayed]);

        var trust = await PackageTrust.FromPemFilesAsync([workspace.PublicKey]);
        var a = (await ModelPackage.VerifyAsync(first, trust, Device)).Manifest;
        var b = (await ModelPackage.VerifyAsync(replayed, trust, Device)).Manifest;
        Assert.Equal(a.Files.Single(f => f.Role == PackageFileRole.Model).Sha256, b.Files.Single(f => f.Role == PackageFileRole.Model).Sha256);
        Assert.Equal(a.Name, b.Name);
    }

    [Fact]
    public async Task Run_FourStepMnistRecipe_PrunesDistillsQuantizesAndPacksInOneCommand()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var data = TestData.Directory("datasets/mnist");
        var recipe = workspace.PathOf("mnist-small.recipe.json");
        await File.WriteAllTextAsync(recipe, $$"""
            {
              "schema": "edge.recipe/v2",
              "input": "{{Mnist}}",
              "output": "out/mnist-small.edgepkg",
              "measure": { "eval": "mnist:{{data}}@9000:9300", "latency_runs": 20, "warmup_runs": 2 },
              "steps": [
                { "pass": "prune", "options": { "method": "channel", "sparsity": 0.25, "channel_multiple": 1, "measure_latency": false } },
                { "pass": "distill", "options": { "teacher_path": "{{Mnist}}", "dataset": "mnist:{{data}}@0:512", "use_labels": true, "epochs": 1, "learning_rate": 0.005, "batch_size": 32 } },
                { "pass": "quantize", "options": { "mode": "static", "calibration": "mnist:{{data}}@600:632", "latency_runs": 0 } },
                { "pass": "pack", "options": { "name": "mnist-small", "version": "1.0.0", "targets": ["linux-x64"], "keys": ["keys/edge-signing.key.pem"] } }
              ]
            }
            """);
        var report = workspace.PathOf("out/report.json");

        var (code, output, error) = await CliRunner.RunAsync("run", recipe, "--report", report);

        Assert.True(code == ExitCodes.Success, error);
        var package = workspace.PathOf("out/mnist-small.edgepkg");
        var manifest = (await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), Device)).Manifest;
        Assert.Equal("mnist-small", manifest.Name);
        Assert.Equal("prune", manifest.Lineage.Recipe!.Value.GetProperty("steps")[0].GetProperty("pass").GetString());
        Assert.Contains("Verdict: ", output, StringComparison.Ordinal);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        Assert.Equal(["prune", "distill", "quantize", "pack"], json["steps"]!.AsArray().Select(s => (string?)s!["pass"]));
        Assert.Equal(["original", "1 prune", "2 distill", "3 quantize"], json["summary"]!.AsArray().Select(s => (string?)s!["model"]));
        Assert.All(json["summary"]!.AsArray(), row => Assert.True((double)row!["p50_ms"]! > 0));
        Assert.All(json["summary"]!.AsArray().Skip(1), row => Assert.InRange((double)row!["agreement"]!, 0.8, 1.0));
        Assert.True((long)json["summary"]![3]!["bytes"]! < (long)json["summary"]![0]!["bytes"]!);
        var markdown = await File.ReadAllTextAsync(Path.ChangeExtension(report, ".md"));
        foreach (var heading in new[] { "## Step 1: prune", "## Step 2: distill", "## Step 3: quantize", "## Step 4: pack" })
        {
            Assert.Contains(heading, markdown, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(workspace.PathOf("out/report.latency.svg")));
        Assert.True(File.Exists(workspace.PathOf("out/report.step2-distill-training.svg")));
        Assert.True(File.Exists(workspace.PathOf("out/report.step3-quantize-sqnr.svg")));
    }

    [Fact]
    public async Task Run_FailsAtStepTwo_ResumesThereAfterTheFix()
    {
        using var folder = new TemporaryFolder();
        var empty = Directory.CreateDirectory(Path.Combine(folder.Path, "empty")).FullName;
        var recipe = Path.Combine(folder.Path, "r.json");
        string Recipe(string calibration) => $$"""
            { "schema": "edge.recipe/v2", "input": "{{Mnist}}", "output": "out.onnx",
              "steps": [ { "pass": "prune", "options": { "method": "channel", "sparsity": 0.25, "channel_multiple": 1, "measure_latency": false } },
                         { "pass": "quantize", "options": { "mode": "static", "calibration": "{{calibration}}", "latency_runs": 0 } } ] }
            """;
        await File.WriteAllTextAsync(recipe, Recipe($"mnist:{empty}"));
        var (code, _, error) = await CliRunner.RunAsync("run", recipe);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        var prunedModel = Path.Combine(folder.Path, "out.onnx.steps", "1-prune", "model.onnx");
        var pruned = SHA256.HashData(await File.ReadAllBytesAsync(prunedModel));

        await File.WriteAllTextAsync(recipe, Recipe(MnistData(0, 16)));
        var (resumed, output, resumeError) = await CliRunner.RunAsync("run", recipe, "--from-step", "2");

        Assert.True(resumed == ExitCodes.Success, resumeError);
        Assert.DoesNotContain("step 1/2", resumeError, StringComparison.Ordinal);
        Assert.Contains("skipped   done in an earlier run", output, StringComparison.Ordinal);
        Assert.Equal(pruned, SHA256.HashData(await File.ReadAllBytesAsync(prunedModel)));
        Assert.True(File.Exists(Path.Combine(folder.Path, "out.onnx")));
    }

    [Theory]
    [InlineData("""{ "schema": "edge.recipe/v9", "input": "MODEL", "output": "o.onnx", "steps": [ { "pass": "quantize" } ] }""", "written by a newer edge-optimize")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "MODEL", "output": "o.onnx", "steps": [ { "pass": "quantise", "options": {} } ] }""", "step 1 (quantise): unknown pass 'quantise'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "MODEL", "output": "o.onnx", "steps": [ { "pass": "quantize", "options": { "mode": "dynamic", "speed": 11 } } ] }""", "step 1 (quantize): unknown option 'speed'")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "missing.onnx", "output": "o.onnx", "steps": [ { "pass": "quantize", "options": { "mode": "dynamic" } } ] }""", "the recipe's input model names")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "MODEL", "output": "o.onnx", "steps": [ { "pass": "quantize", "options": { "mode": "static", "calibration": "mnist:moved/mnist" } } ] }""", "step 1 (quantize): option 'calibration' names")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "MODEL", "output": "o.edgepkg", "steps": [ { "pass": "pack", "options": { "name": "m", "version": "1.0.0", "targets": ["x64"], "keys": ["k.pem"] } }, { "pass": "quantize", "options": { "mode": "dynamic" } } ] }""", "step 2 (quantize) needs an ONNX model, but step 1 (pack) produces a package")]
    [InlineData("""{ "schema": "edge.recipe/v2", "input": "MODEL", "output": "o.onnx", "steps": [ { "pass": "quantize", "options": { "mode": "dynamic" } } ] } trailing""", "is not valid JSON")]
    public async Task Run_BadRecipe_Exit2WithOneLine(string json, string expected)
    {
        using var folder = new TemporaryFolder();
        folder.WriteText("k.pem", "a key file; the check fails before it is read");
        var recipe = folder.WriteText("r.json", json.Replace("MODEL", Mnist, StringComparison.Ordinal));

        var (code, _, error) = await CliRunner.RunAsync("run", recipe);

        Assert.Equal(ExitCodes.BadInput, code);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "o.onnx")));
    }

    private static async Task RunOkAsync(string[] args)
    {
        var (code, _, error) = await CliRunner.RunAsync(args);
        Assert.True(code == ExitCodes.Success, $"{string.Join(' ', args)}: exit {code}: {error}");
    }

    private static async Task AssertReplaysAsync(string first, string folder)
    {
        var replayed = Path.Combine(folder, "replayed.onnx");
        await RunOkAsync(["run", first + ".recipe.json", "-o", replayed]);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(first)), SHA256.HashData(await File.ReadAllBytesAsync(replayed)));
    }
}
