using Edge.Optimizer.Data;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Data;

public class OnnxTestDataDatasetTests
{
    [Fact]
    public void Read_MnistGeneratedSets_ReturnsInputsAndReferenceOutputsInOrder()
    {
        var folder = TestData.Directory("models/mnist/mnist_generated_test_data");

        var samples = DatasetFactory.Open($"testdata:{folder}").Read().ToList();

        Assert.Equal(["test_data_set_0", "test_data_set_1", "test_data_set_2"], samples.Select(s => s.Id));
        var input = Assert.Single(samples[0].Inputs!);
        Assert.Equal([1L, 1, 28, 28], input.Shape);
        var output = Assert.Single(samples[0].ExpectedOutputs!);
        var logits = (float[])output.Data;
        Assert.Equal(10, logits.Length);
        Assert.Equal(7, Array.IndexOf(logits, logits.Max()));
    }

    [Fact]
    public void Read_SingleSetFolder_IsOneSample()
    {
        var folder = TestData.Directory("models/classifiers/squeezenet1.0/test_data_set_0");

        var dataset = DatasetFactory.Open($"testdata:{folder}");

        Assert.Equal(1, dataset.Count);
        Assert.Equal([1L, 3, 224, 224], dataset.Read().Single().Inputs![0].Shape);
    }
}
