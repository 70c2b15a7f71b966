using Edge.Optimizer.Calibration;
using Edge.Optimizer.Data;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Optimizer.Tests.Calibration;

public sealed class SampleBatcherTests
{
    [Fact]
    public void Stack_TwoSamples_ConcatenatesAlongFirstAxis()
    {
        IReadOnlyList<ModelInput> a = [new ModelInput("x", TensorElementType.Float, [1, 2], new float[] { 1, 2 })];
        IReadOnlyList<ModelInput> b = [new ModelInput("x", TensorElementType.Float, [1, 2], new float[] { 3, 4 })];

        var stacked = SampleBatcher.Stack([a, b]);

        Assert.Equal([2L, 2L], stacked[0].Shape);
        Assert.Equal([1f, 2f, 3f, 4f], (float[])stacked[0].Data);
    }

    [Fact]
    public void Stack_DifferentShapes_ThrowsNamingInputAndShapes()
    {
        IReadOnlyList<ModelInput> a = [new ModelInput("tokens", TensorElementType.Int64, [1, 3], new long[3])];
        IReadOnlyList<ModelInput> b = [new ModelInput("tokens", TensorElementType.Int64, [1, 4], new long[4])];

        var error = Assert.Throws<InvalidDataException>(() => SampleBatcher.Stack([a, b]));

        Assert.Contains("'tokens'", error.Message, StringComparison.Ordinal);
        Assert.Contains("1x3", error.Message, StringComparison.Ordinal);
        Assert.Contains("1x4", error.Message, StringComparison.Ordinal);
    }
}
