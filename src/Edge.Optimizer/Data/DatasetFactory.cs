namespace Edge.Optimizer.Data;

/// <summary>Opens the dataset a <see cref="DatasetSpec"/> names.</summary>
public static class DatasetFactory
{
    public static IDataset Open(string text) => Open(DatasetSpec.Parse(text));

    public static IDataset Open(DatasetSpec spec) => spec.Kind switch
    {
        DatasetKind.Mnist => new MnistDataset(spec),
        DatasetKind.Images => new ImageFolderDataset(spec),
        DatasetKind.Npy => new NpyDataset(spec),
        DatasetKind.TestData => new OnnxTestDataDataset(spec),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, $"Unknown dataset kind; expected {DatasetSpec.Syntax}."),
    };
}
