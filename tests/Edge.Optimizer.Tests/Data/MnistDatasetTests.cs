using Edge.Optimizer.Data;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Data;

public class MnistDatasetTests
{
    private static string MnistFolder => TestData.Directory("datasets/mnist");

    [Fact]
    public void Open_SharedTestSet_Has10000LabelledDigits()
    {
        var dataset = DatasetFactory.Open($"mnist:{MnistFolder}");

        Assert.Equal(10_000, dataset.Count);
        Assert.True(dataset.HasLabels);
        var first = dataset.Read().Take(3).ToList();
        Assert.Equal([7, 2, 1], first.Select(s => s.Label!.Value));
        var tensor = Assert.Single(first[0].Inputs!);
        Assert.Equal([1L, 1, 28, 28], tensor.Shape);
        var pixels = (float[])tensor.Data;
        Assert.InRange(pixels.Max(), 200f, 255f);
        Assert.Equal(0f, pixels.Min());
    }

    [Fact]
    public void Read_WithRange_StartsAtFromAndStopsBeforeTo()
    {
        var full = DatasetFactory.Open($"mnist:{MnistFolder}").Read().Skip(6000).First();
        var ranged = DatasetFactory.Open($"mnist:{MnistFolder}@6000:6010");

        var samples = ranged.Read().ToList();

        Assert.Equal(10, ranged.Count);
        Assert.Equal(10, samples.Count);
        Assert.Equal("6000", samples[0].Id);
        Assert.Equal(full.Label, samples[0].Label);
        Assert.Equal((float[])full.Inputs![0].Data, (float[])samples[0].Inputs![0].Data);
    }

    [Fact]
    public void Open_FolderWithoutIdxFiles_ThrowsNamingTheExpectedFiles()
    {
        var empty = Directory.CreateTempSubdirectory("edge-mnist-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => DatasetFactory.Open($"mnist:{empty}"));
            Assert.Contains("images-idx3-ubyte", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, true);
        }
    }
}
