namespace Edge.Optimizer.Data;

/// <summary>
/// One sample of a dataset. Exactly one of <see cref="Inputs"/> (ready tensors, matched to model inputs by
/// position or name) and <see cref="ImagePath"/> (a photo that the preprocessing spec turns into the input) is set.
/// </summary>
public sealed class DataSample
{
    private DataSample(string id, int? label, IReadOnlyList<SampleTensor>? inputs, string? imagePath, IReadOnlyList<SampleTensor>? expectedOutputs)
    {
        Id = id;
        Label = label;
        Inputs = inputs;
        ImagePath = imagePath;
        ExpectedOutputs = expectedOutputs;
    }

    /// <summary>A stable name for the sample: index, file name or test-set folder.</summary>
    public string Id { get; }

    /// <summary>The class index, where the dataset has labels.</summary>
    public int? Label { get; }

    /// <summary>Ready-to-run input tensors, or null for image samples.</summary>
    public IReadOnlyList<SampleTensor>? Inputs { get; }

    /// <summary>The photo to preprocess, or null for tensor samples.</summary>
    public string? ImagePath { get; }

    /// <summary>Reference outputs stored with the sample (ONNX test data sets), or null.</summary>
    public IReadOnlyList<SampleTensor>? ExpectedOutputs { get; }

    public static DataSample FromTensors(string id, int? label, IReadOnlyList<SampleTensor> inputs, IReadOnlyList<SampleTensor>? expectedOutputs = null) =>
        new(id, label, inputs, null, expectedOutputs);

    public static DataSample FromImage(string id, int? label, string imagePath) =>
        new(id, label, null, imagePath, null);
}
