using Edge.Optimizer.Cli;
using Edge.Optimizer.Data;
using Edge.Optimizer.Tests.Packaging;
using Edge.Packaging;
using Edge.Sdk.Packaging;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Drift;

public sealed class DriftReferenceBuilderTests
{
    private static string Mnist => TestData.File("models/mnist/mnist.onnx");

    private static string MnistData => "mnist:" + TestData.Directory("datasets/mnist") + "@0:200";

    [Fact]
    public async Task Pack_ReferenceData_SignsTheDatasetsMomentsAndConfidenceHistogram()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var package = await workspace.PackAsync(Mnist, "mnist-drift", "--reference-data", MnistData);

        var result = await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { Device = PackageDeviceDescription.Current });
        var reference = result.Manifest.DriftReference!;
        Assert.Equal(DriftStatistics.Classification, reference.Task);
        Assert.Equal(200, reference.Samples);
        var input = Assert.Single(reference.Inputs);
        Assert.Equal("Input3", input.Name);
        var (mean, variance) = PixelMoments(MnistData);
        Assert.Equal(mean, Assert.Single(input.Means), 1e-9);
        Assert.Equal(variance, Assert.Single(input.Variances), 1e-6);
        Assert.Equal(DriftStatistics.ConfidenceBins, reference.Confidence!.Count);
        Assert.Equal(1, reference.Confidence.Sum(), 1e-9);

        // The model is right on most MNIST digits, and sure of it: most confidences fall in the top bin.
        Assert.True(reference.Confidence[^1] > 0.5, $"histogram {string.Join(", ", reference.Confidence)}");
    }

    [Fact]
    public async Task Pack_ReferenceDataOfUnknownKind_Exit2NamingTheOption()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var (code, _, error) = await workspace.RunAsync("pack", Mnist, "--name", "m", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("m.edgepkg"), "--reference-data", "pictures:somewhere", "--reference-samples", "0");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--reference-data", error, StringComparison.Ordinal);
        Assert.Contains("--reference-samples must be at least 1, but was 0", error, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.PathOf("m.edgepkg")));
    }

    [Fact]
    public async Task Pack_WithoutReferenceData_HasNoDriftReference()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();

        var package = await workspace.PackAsync(Mnist, "mnist-plain");

        var result = await ModelPackage.VerifyAsync(package, await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { Device = PackageDeviceDescription.Current });
        Assert.Null(result.Manifest.DriftReference);
    }

    /// <summary>Mean and population variance of every pixel of the dataset, computed directly (two passes).</summary>
    private static (double Mean, double Variance) PixelMoments(string spec)
    {
        var dataset = DatasetFactory.Open(spec);
        var pixels = dataset.Read().SelectMany(s => (float[])s.Inputs![0].Data).Select(v => (double)v).ToArray();
        var mean = pixels.Average();
        return (mean, pixels.Select(p => (p - mean) * (p - mean)).Average());
    }
}
