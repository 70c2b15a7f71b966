using Edge.Optimizer.Data;
using Edge.Optimizer.Evaluation;
using Edge.Sdk.Inference;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Evaluation;

public class ModelEvaluatorTests
{
    private static EdgeSessionOptions Cpu() => new() { Provider = ExecutionProvider.Cpu, Cpu = new CpuProviderOptions { IntraOpThreads = 1 } };

    [Fact]
    public void Evaluate_WithoutProgress_CountsEverySample()
    {
        var dataset = DatasetFactory.Open($"mnist:{TestData.Directory("datasets/mnist")}@0:50");

        var result = ModelEvaluator.Evaluate(TestData.File("models/mnist/mnist.onnx"), dataset, null, null, Cpu, null, CancellationToken.None);

        Assert.Equal(50, result.Samples);
        Assert.NotNull(result.Top1);
        Assert.Null(result.ReferenceName);
    }

    [Fact]
    public void Evaluate_WithProgress_ReportsEachSampleInOrder()
    {
        var dataset = DatasetFactory.Open($"mnist:{TestData.Directory("datasets/mnist")}@0:5");
        var reported = new List<int>();

        ModelEvaluator.Evaluate(TestData.File("models/mnist/mnist.onnx"), dataset, null, null, Cpu, new SynchronousProgress(reported.Add), CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], reported);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
