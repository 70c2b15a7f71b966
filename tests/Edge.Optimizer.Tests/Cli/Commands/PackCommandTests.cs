using System.Text.Json;
using Edge.Optimizer.Cli;
using Edge.Optimizer.Tests.Packaging;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Cli.Commands;

public sealed class PackCommandTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    [Fact]
    public async Task Pack_AllOptions_RecordsThemInTheSignedManifest()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        await File.WriteAllTextAsync(workspace.PathOf("pre.json"), """{ "resize": [28, 28], "mean": [0.5], "layout": "NCHW" }""");
        await File.WriteAllLinesAsync(workspace.PathOf("labels.txt"), Enumerable.Range(0, 10).Select(i => $"digit {i}"));
        await File.WriteAllTextAsync(workspace.PathOf("metrics.json"), """{ "top1": 0.991, "latency_p50_ms": 0.21, "dataset": "mnist-test" }""");
        await File.WriteAllTextAsync(workspace.PathOf("recipe.json"), """{ "passes": [ { "name": "quantize", "mode": "int8" } ] }""");

        var package = await workspace.PackAsync(Mnist, "mnist-int8", "--provider", "cpu,CUDAExecutionProvider", "--min-sdk", "0.1.0",
            "--preprocess", workspace.PathOf("pre.json"), "--labels", workspace.PathOf("labels.txt"), "--metrics", workspace.PathOf("metrics.json"),
            "--recipe", workspace.PathOf("recipe.json"), "--parent", "mnist@1.0.0", "--golden", TestData.Directory("models/mnist/mnist_generated_test_data"));

        var result = await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { Device = PackageDeviceDescription.Current });
        var manifest = result.Manifest;
        Assert.Equal(["x64", "arm64"], manifest.Target.Architectures);
        Assert.Equal(["cpu", "cuda"], manifest.Target.ExecutionProviders);
        Assert.Equal("NCHW", manifest.Preprocess!.Value.GetProperty("layout").GetString());
        Assert.Equal("digit 9", manifest.Labels[9]);
        Assert.Equal(0.991, manifest.Metrics!.Value.GetProperty("top1").GetDouble());
        Assert.Equal("quantize", manifest.Lineage.Recipe!.Value.GetProperty("passes")[0].GetProperty("name").GetString());
        Assert.Equal("mnist", manifest.Lineage.Parent!.Name);
        Assert.StartsWith("dotnet edge-optimize pack ", manifest.Lineage.Command, StringComparison.Ordinal);
        Assert.Contains("--name mnist-int8", manifest.Lineage.Command, StringComparison.Ordinal);
        Assert.Equal("Input3", manifest.Inputs.Single().Name);
        Assert.Equal(["1", "1", "28", "28"], manifest.Inputs.Single().Shape.Select(d => d.ToString()));
        Assert.Equal(["1", "10"], manifest.Outputs.Single().Shape.Select(d => d.ToString()));
        Assert.NotEmpty(manifest.Golden);
        Assert.All(manifest.Golden, g => Assert.Single(g.Inputs));
        Assert.Equal("edge-optimize", manifest.Tool.Name);
    }

    [Fact]
    public async Task Pack_SeveralBadOptions_Exit2ListingEveryError()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("pack", Mnist, "--name", "Bad Name", "--version", "1.0", "--target", "linux-sparc",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("bad.edgepkg"), "--parent", "nameonly");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("unknown architecture 'sparc'", error, StringComparison.Ordinal);
        Assert.Contains("--parent 'nameonly'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.PathOf("bad.edgepkg")));
    }

    [Fact]
    public async Task Pack_InvalidNameAndVersion_Exit2NamingBoth()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("pack", Mnist, "--name", "Bad Name", "--version", "1.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("bad.edgepkg"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("name 'Bad Name'", error, StringComparison.Ordinal);
        Assert.Contains("version '1.0'", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(workspace.Root, "*bad.edgepkg*"));
    }

    [Fact]
    public async Task Pack_PublicKeyAsSigningKey_Exit2()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("pack", Mnist, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PublicKey, "-o", workspace.PathOf("m.edgepkg"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("holds no private key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_PreprocessNotAnObject_Exit2()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        await File.WriteAllTextAsync(workspace.PathOf("pre.json"), "[1, 2]");

        var (code, _, error) = await workspace.RunAsync("pack", Mnist, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("m.edgepkg"), "--preprocess", workspace.PathOf("pre.json"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("must hold a JSON object, found Array", error, StringComparison.Ordinal);
        _ = JsonDocument.Parse("{}");
    }

    [Fact]
    public async Task Pack_ExternalDataMissing_Exit2NamingTheFile()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var model = ExternalDataModel.Create(Mnist, workspace.PathOf("src"));
        File.Delete(workspace.PathOf("src/" + ExternalDataModel.DataLocation));

        var (code, _, error) = await workspace.RunAsync("pack", model, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("m.edgepkg"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(ExternalDataModel.DataLocation, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_ModelWithALengthLie_Exit2NamingTheFieldAndPacksNothing()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        using var folder = new TemporaryFolder();
        var model = BadInputs.Create("length-lie", folder.Path);

        var (code, _, error) = await workspace.RunAsync("pack", model, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("m.edgepkg"));

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {error}");
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("field ModelProto.graph (number 7) claims 4611686018427387904 bytes", line, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.PathOf("m.edgepkg")));
    }

    [Fact]
    public async Task Pack_ModelOnnxRuntimeRefuses_Exit2NamingTheModel()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        using var folder = new TemporaryFolder();
        var model = BadInputs.Create("undefined", folder.Path);

        var (code, _, error) = await workspace.RunAsync("pack", model, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("m.edgepkg"));

        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {error}");
        var line = Assert.Single(error.Trim().Split('\n'));
        // The pipeline reads the model before packing it, so the graph check names the dangling value first.
        Assert.StartsWith($"error: '{model}'", line, StringComparison.Ordinal);
        Assert.Contains("no_such_value", line, StringComparison.Ordinal);
    }
}
