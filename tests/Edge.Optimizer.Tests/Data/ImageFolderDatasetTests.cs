using Edge.Optimizer.Data;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Data;

public class ImageFolderDatasetTests
{
    [Fact]
    public void Open_ImagenetSampleWithLabelsCsv_Reads500LabelledPhotos()
    {
        var folder = TestData.Directory("datasets/imagenet-sample-500");

        var dataset = DatasetFactory.Open($"images:{folder}");
        var samples = dataset.Read().ToList();

        Assert.Equal(500, dataset.Count);
        Assert.Equal("n01440764_tench.JPEG", samples[0].Id);
        Assert.Equal(0, samples[0].Label);
        Assert.Equal(2, samples[1].Label);
        Assert.All(samples, s => Assert.True(File.Exists(s.ImagePath)));
    }

    [Fact]
    public void Open_ClassSubfolders_NumbersClassesInNameOrder()
    {
        var root = Directory.CreateTempSubdirectory("edge-images-").FullName;
        try
        {
            foreach (var (cls, file) in new[] { ("zebra", "a.jpg"), ("ant", "b.png"), ("ant", "c.jpg"), ("ant", "notes.txt") })
            {
                Directory.CreateDirectory(Path.Combine(root, cls));
                File.WriteAllBytes(Path.Combine(root, cls, file), [0]);
            }

            var samples = DatasetFactory.Open($"images:{root}@1:").Read().ToList();

            Assert.Equal([("c.jpg", 0), ("a.jpg", 1)], samples.Select(s => (s.Id, s.Label!.Value)));
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void Open_CsvWithoutClassIndexColumn_ThrowsNamingTheColumns()
    {
        var root = Directory.CreateTempSubdirectory("edge-images-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "labels.csv"), "file,label\na.jpg,1\n");

            var error = Assert.Throws<InvalidDataException>(() => DatasetFactory.Open($"images:{root}"));

            Assert.Contains("'class_index'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }
}
