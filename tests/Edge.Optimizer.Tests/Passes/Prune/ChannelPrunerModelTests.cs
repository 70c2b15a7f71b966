using Edge.Onnx;
using Edge.Optimizer.Passes.Prune.Channels;
using Edge.TestUtilities;

namespace Edge.Optimizer.Tests.Passes.Prune;

public sealed class ChannelPrunerModelTests
{
    [Theory]
    [InlineData("models/classifiers/squeezenet1.0/squeezenet1.0_fp32_derived_from_fp16.onnx", 1f)]
    [InlineData("models/detectors/yolox_nano/yolox_nano.onnx", 255f)]
    [InlineData("models/mnist/mnist.onnx", 255f)]
    [InlineData("models/detectors/ultraface/version-RFB-320.onnx", 1f)]
    [InlineData("models/detectors/ultraface/version-RFB-320_simplified.onnx", 1f)]
    [InlineData("models/detectors/ultraface/version-RFB-640.onnx", 1f)]
    [InlineData("models/detectors/ultraface/version-slim-320.onnx", 1f)]
    public void Prune_RealModelAt30Percent_MatchesZeroedOriginalAndKeepsOutputShapes(string path, float inputScale)
    {
        var model = OnnxModel.Load(TestData.File(path));
        var outcome = ChannelEquivalence.PruneAndCompare(model, ChannelEquivalence.Settings(0.3), tolerance: 2e-3f, inputScale: inputScale);
        Assert.NotEmpty(outcome.Selection.Keep);
        foreach (var d in outcome.Selection.Decisions)
        {
            Console.WriteLine($"{path}: [{string.Join(",", d.Layers)}] {d.Channels}->{d.Kept} {d.Note}");
        }
    }
}
