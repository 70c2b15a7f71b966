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

    [Fact]
    public async Task Pack_ReferenceDataOfATokenModel_RecordsNoReferenceAndSaysWhy()
    {
        using var workspace = await PackagingWorkspace.CreateAsync();
        var bert = TestData.File("models/nlp/bert_toy_optimized.onnx");
        var data = workspace.PathOf("tokens.npz");
        WriteInt64Npz(data, 8, 16, ("input_ids", i => i % 97), ("token_type_ids", _ => 0), ("input_mask", _ => 1));

        var (code, output, error) = await workspace.RunAsync("pack", bert, "--name", "bert", "--version", "1.0.0", "--target", "x64",
            "--key", workspace.PrivateKey, "-o", workspace.PathOf("bert.edgepkg"), "--reference-data", "npy:" + data);

        Assert.True(code == ExitCodes.Success, output + error);
        Assert.Contains("drift reference: not recorded: the model has no float32 input", output + error, StringComparison.Ordinal);
        var result = await ModelPackage.VerifyAsync(workspace.PathOf("bert.edgepkg"), await PackageTrust.FromPemFilesAsync([workspace.PublicKey]), new PackageOpenOptions { Device = PackageDeviceDescription.Current });
        Assert.Null(result.Manifest.DriftReference);
    }

    [Fact]
    public void DescribeDrift_Reference_NamesItsSamplesInputsAndHistogram()
    {
        var reference = new PackageDriftReference
        {
            Task = DriftStatistics.Detection,
            Samples = 20,
            Inputs = [new PackageDriftInput { Name = "images", Means = [1, 2, 3], Variances = [1, 1, 1] }],
            Confidence = [.. Enumerable.Repeat(0.1, 10)],
        };

        Assert.Equal(
            "drift reference: 20 samples, task detection; inputs: images (3 channel(s)); confidence histogram of 10 bins",
            Edge.Optimizer.Passes.Pack.PackPass.DescribeDrift(reference));
    }

    /// <summary>Writes an .npz of int64 arrays [samples, length], each element from its function of the flat index.</summary>
    private static void WriteInt64Npz(string path, int samples, int length, params (string Name, Func<int, long> Value)[] arrays)
    {
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var (name, value) in arrays)
        {
            using var stream = zip.CreateEntry(name + ".npy").Open();
            var header = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({samples}, {length}), }}";
            var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            stream.Write(BitConverter.GetBytes((ushort)padded.Length));
            stream.Write(System.Text.Encoding.Latin1.GetBytes(padded));
            for (var i = 0; i < samples * length; i++)
            {
                stream.Write(BitConverter.GetBytes(value(i)));
            }
        }
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
