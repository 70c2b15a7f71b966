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
        var outcome = ChannelEquivalence.PruneAndCompare(model, ChannelEquivalence.Settings(0.3), tolerance: 1e-4f, inputScale: inputScale);
        Assert.NotEmpty(outcome.Selection.Keep);
    }

    /// <summary>
    /// Zoo topologies whose weights are ConstantOfShape outputs (DenseNet concat, ResNet residual Sum, Inception
    /// concat, ShuffleNet grouped convs and channel shuffle, VGG and AlexNet dense heads): pruning must give a valid
    /// model that runs with the original output shapes, whatever it can or cannot cut.
    /// </summary>
    [Theory]
    [Trait(TestCategories.Category, TestCategories.LongRunning)]
    [InlineData("light_densenet121", true)]
    [InlineData("light_resnet50", true)]
    [InlineData("light_inception_v1", true)]
    [InlineData("light_inception_v2", true)]
    [InlineData("light_shufflenet", false)]
    [InlineData("light_squeezenet", true)]
    [InlineData("light_vgg19", true)]
    [InlineData("light_bvlc_alexnet", true)]
    [InlineData("light_zfnet512", true)]
    public void PruneVerified_ZooTopology_RunsWithOriginalOutputShapes(string name, bool expectPruned)
    {
        var model = OnnxModel.Load(TestData.File($"models/classifiers/light/{name}.onnx"));
        var prepared = ChannelPruner.Prepare(model, CancellationToken.None);
        var outcome = ChannelPruner.PruneVerified(prepared, ChannelEquivalence.Settings(0.3), CancellationToken.None);
        Assert.Empty(outcome.Warnings);
        Assert.Null(ChannelPruner.Check(outcome.Model, prepared, CancellationToken.None));

        Assert.Equal(expectPruned, outcome.Selection.Keep.Count > 0);
        var weights = outcome.Model.Proto.Graph.Node.Count(n => n.OpType == "ConstantOfShape");
        Assert.True(weights >= model.Proto.Graph.Node.Count(n => n.OpType == "ConstantOfShape") / 2, "weights must stay ConstantOfShape nodes, not be expanded");
    }
}
