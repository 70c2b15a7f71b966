namespace Edge.Packaging.Tests;

public sealed class PackageDriftReferenceTests : IDisposable
{
    private static readonly PackageFile Model = new() { Path = "model/m.onnx", Role = PackageFileRole.Model, Sha256 = new string('a', 64), Size = 10 };

    private readonly PackageTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    internal static PackageDriftReference Reference() => new()
    {
        Task = DriftStatistics.Classification,
        Samples = 200,
        Inputs = [new PackageDriftInput { Name = "Input3", Means = [33.3], Variances = [6201.5] }],
        Confidence = [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02, 0.1, 0.8],
    };

    [Fact]
    public async Task VerifyAsync_PackageWithDriftReference_ReturnsEveryFigure()
    {
        var path = Path.Combine(_bed.Root, "drift.edgepkg");
        await PackageWriter.WriteAsync(path, files => PackageTestBed.Manifest(files).WithDriftReference(Reference()), [new("model/mnist.onnx", PackageTestBed.ModelSource, PackageFileRole.Model)], [_bed.Key], CancellationToken.None);

        var result = await ModelPackage.VerifyAsync(path, _bed.Trust, _bed.Options());

        var reference = result.Manifest.DriftReference!;
        Assert.Equal((DriftStatistics.Classification, 200L), (reference.Task, reference.Samples));
        var input = Assert.Single(reference.Inputs);
        Assert.Equal(("Input3", 33.3, 6201.5), (input.Name, Assert.Single(input.Means), Assert.Single(input.Variances)));
        Assert.Equal(Reference().Confidence, reference.Confidence);
    }

    [Fact]
    public void Serialize_WithoutDriftReference_LeavesItOut()
    {
        var json = System.Text.Encoding.UTF8.GetString(PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model])));

        Assert.DoesNotContain("driftReference", json, StringComparison.Ordinal);
        Assert.Empty(PackageManifestValidator.Validate(PackageManifestSerializer.Parse(System.Text.Encoding.UTF8.GetBytes(json))));
    }

    [Fact]
    public void Parse_RoundTrip_KeepsTheReference()
    {
        var bytes = PackageManifestSerializer.Serialize(PackageTestBed.Manifest([Model]).WithDriftReference(Reference()));

        var parsed = PackageManifestSerializer.Parse(bytes);

        Assert.Contains("\"driftReference\"", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(Reference().Confidence, parsed.DriftReference!.Confidence);
        Assert.Equal(6201.5, parsed.DriftReference.Inputs[0].Variances[0]);
    }

    [Fact]
    public void Validate_BadReference_ListsEveryProblem()
    {
        var manifest = PackageTestBed.Manifest([Model]).WithDriftReference(new PackageDriftReference
        {
            Task = "segmentation",
            Samples = 0,
            Inputs =
            [
                new PackageDriftInput { Name = "Nope", Means = [1, double.NaN], Variances = [1] },
                new PackageDriftInput { Name = "Input3", Means = [1], Variances = [-0.5] },
            ],
            Confidence = [0.5, 0.4],
        });

        var errors = PackageManifestValidator.Validate(manifest);

        Assert.Contains(errors, e => e.Contains("driftReference.task is 'segmentation'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.samples is 0, expected at least 1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.inputs[0].name 'Nope' is not one of the manifest's inputs (Input3)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.inputs[0].variances holds 1 entries, expected one per mean (2)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.inputs[0].means[1] is NaN, expected a finite number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.inputs[1].variances[0] is -0.5, expected a finite number, zero or more", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.confidence holds 2 bins, expected 10", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("driftReference.confidence sums to 0.9", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ClassifierWithoutHistogramAndRawWithOne_AreRefused()
    {
        var classifier = PackageTestBed.Manifest([Model]).WithDriftReference(new PackageDriftReference { Task = DriftStatistics.Classification, Samples = 1 });
        var raw = PackageTestBed.Manifest([Model]).WithDriftReference(new PackageDriftReference { Task = DriftStatistics.Raw, Samples = 1, Confidence = Reference().Confidence });

        Assert.Contains(PackageManifestValidator.Validate(classifier), e => e.Contains("driftReference.confidence is missing", StringComparison.Ordinal));
        Assert.Contains(PackageManifestValidator.Validate(raw), e => e.Contains("must be absent for task 'raw'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TooManyChannels_IsRefused()
    {
        var channels = DriftStatistics.MaxChannels + 1;
        var manifest = PackageTestBed.Manifest([Model]).WithDriftReference(new PackageDriftReference
        {
            Task = DriftStatistics.Raw,
            Samples = 1,
            Inputs = [new PackageDriftInput { Name = "Input3", Means = new double[channels], Variances = new double[channels] }],
        });

        Assert.Contains(PackageManifestValidator.Validate(manifest), e => e.Contains($"means holds {channels} channels, expected 1 to {DriftStatistics.MaxChannels}", StringComparison.Ordinal));
    }
}
