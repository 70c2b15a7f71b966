using Edge.Optimizer.Passes.Prune.Channels;
using static Edge.Optimizer.Tests.Passes.Prune.PruneGraphBuilder;

namespace Edge.Optimizer.Tests.Passes.Prune;

/// <summary>One hand-built graph per propagation rule; each pruned model must equal the zeroed original to 1e-4.</summary>
public sealed class ChannelSurgeryRuleTests
{
    [Fact]
    public void Prune_ConvBatchNormReluConv_SlicesNormalizationAndNextInputChannels()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var y = b.Conv(b.Op("Relu", [b.BatchNorm(b.Conv(x, 3, 8, name: "first"), 8)]), 8, 4, name: "last");
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "first").Kept);
        Assert.True(Decision(outcome, "last").Frozen);
        Assert.Equal([4, 4, 3, 3], Dims(outcome, "last", 1));
    }

    [Fact]
    public void Prune_DepthwiseConv_ShrinksItsGroupCountWithTheChannels()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var depthwise = b.Conv(b.Op("Relu", [b.Conv(x, 3, 8, name: "first")]), 8, 8, group: 8, name: "dw");
        var y = b.Conv(b.Op("Relu", [b.BatchNorm(depthwise, 8)]), 8, 4, kernel: 1);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        var node = outcome.Model.Proto.Graph.Node.Single(n => n.Name == "dw");
        Assert.Equal(4, node.Attribute.Single(a => a.Name == "group").I);
        Assert.Equal([4, 1, 3, 3], Dims(outcome, "dw", 1));
    }

    [Fact]
    public void Prune_ResidualAddAndSiluMul_JoinsBranchesIntoOneGroup()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var stem = b.Conv(x, 3, 8, name: "stem");
        var silu = b.Op("Mul", [stem, b.Op("Sigmoid", [stem])]);
        var branch = b.BatchNorm(b.Conv(b.Op("Relu", [b.Conv(silu, 8, 6, name: "inner")]), 6, 8, name: "outer"), 8);
        var sum = b.Op("Add", [branch, silu]);
        var y = b.Conv(b.Op("Relu", [sum]), 8, 4, kernel: 1);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        var joined = Decision(outcome, "stem");
        Assert.Contains("outer", joined.Layers);
        Assert.Equal(4, joined.Kept);
        Assert.Equal(3, Decision(outcome, "inner").Kept);
    }

    [Fact]
    public void Prune_SumOfThreeBranches_KeepsOneChannelSetForAll()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var sum = b.Op("Sum", [b.Conv(x, 3, 8, name: "a"), b.Conv(x, 3, 8, name: "b"), b.Conv(x, 3, 8, kernel: 1, name: "c")]);
        var y = b.Conv(b.Op("Relu", [sum]), 8, 4);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(["a", "b", "c"], Decision(outcome, "a").Layers);
        Assert.Equal(4, Decision(outcome, "a").Kept);
    }

    [Fact]
    public void Prune_ConcatWithGraphInput_ShiftsOffsetsAndKeepsTheInputChannels()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var concat = b.Op("Concat", [b.Conv(x, 3, 8, name: "a"), x, b.Op("Relu", [b.Conv(x, 3, 6, name: "b")])], attributes: Attribute("axis", 1));
        var y = b.Conv(concat, 17, 4);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal([4, 4 + 3 + 3, 3, 3], Dims(outcome, y, 1, byOutput: true));
    }

    [Theory]
    [InlineData("flatten-gemm")]
    [InlineData("reshape-gemm")]
    [InlineData("gap-reshape-matmul")]
    public void Prune_FlattenOrReshapeIntoDenseLayer_RemovesColumnGroups(string variant)
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var pooled = b.Op("MaxPool", [b.Op("Relu", [b.Conv(x, 3, 8, name: "conv")])], attributes: [Attribute("kernel_shape", 2, 2), Attribute("strides", 2, 2)]);
        string y = variant switch
        {
            "flatten-gemm" => b.Op("Gemm", [b.Op("Flatten", [pooled]), b.Weight([5, 128]), b.Weight([5])], attributes: Attribute("transB", 1)),
            "reshape-gemm" => b.Op("Gemm", [b.Op("Reshape", [pooled, b.Ints(1, 128)]), b.Weight([128, 5]), b.Weight([1, 5])]),
            _ => b.Op("MatMul", [b.Op("Reshape", [b.Op("GlobalAveragePool", [pooled]), b.Ints(1, -1)]), b.Weight([8, 5])]),
        };
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "conv").Kept);
    }

    [Theory]
    [InlineData(13, true)]
    [InlineData(11, true)]
    [InlineData(13, false)]
    public void Prune_SplitOnChannelAxis_RewritesSplitSizes(int opset, bool explicitSizes)
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var conv = b.Conv(x, 3, 8, name: "conv");
        var sizes = explicitSizes ? new long[] { 3, 5 } : [4, 4];
        string[] parts = !explicitSizes ? b.OpMulti("Split", [conv], 2, attributes: Attribute("axis", 1))
            : opset >= 13 ? b.OpMulti("Split", [conv, b.Ints(sizes)], 2, attributes: Attribute("axis", 1))
            : b.OpMulti("Split", [conv], 2, attributes: [Attribute("axis", 1), Attribute("split", sizes)]);
        var y = b.Op("Concat", [b.Conv(parts[0], sizes[0], 2), b.Conv(b.Op("Relu", [parts[1]]), sizes[1], 2)], attributes: Attribute("axis", 1));
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(opset, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "conv").Kept);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(9)]
    public void Prune_SliceOnChannelAxis_RewritesBounds(int opset)
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var conv = b.Conv(x, 3, 8, name: "conv");
        var slice = opset >= 10
            ? b.Op("Slice", [conv, b.Ints(2), b.Ints(7), b.Ints(1)])
            : b.Op("Slice", [conv], attributes: [Attribute("starts", 2), Attribute("ends", 7), Attribute("axes", 1)]);
        var y = b.Op("Add", [b.Conv(slice, 5, 2), b.Conv(conv, 8, 2, kernel: 1)]);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(opset, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "conv").Kept);
    }

    [Fact]
    public void Prune_PerChannelConstantsAndPRelu_SlicesEveryParameter()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var scaled = b.Op("Mul", [b.Conv(x, 3, 8, name: "conv"), b.Weight([8, 1, 1])]);
        var shifted = b.Op("Add", [b.Weight([1, 8, 1, 1]), scaled]);
        var activated = b.Op("PRelu", [b.Op("Div", [shifted, b.Weight([1], [2f])]), b.Weight([8, 1, 1])]);
        var y = b.Conv(activated, 8, 4);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "conv").Kept);
    }

    [Fact]
    public void Prune_ConvTranspose_SlicesItsInputAndOutputAxes()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var up = b.Op("ConvTranspose", [b.Op("Relu", [b.Conv(x, 3, 8, name: "conv")]), b.Weight([8, 6, 2, 2]), b.Weight([6])], "up", Attribute("strides", 2, 2));
        var y = b.Conv(b.Op("Relu", [up]), 6, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal([4, 3, 2, 2], Dims(outcome, "up", 1));
    }

    [Fact]
    public void Prune_TransformerFeedForward_PrunesHiddenUnitsAndFreezesTheResidualStream()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 5, 16);
        var hidden = b.Op("Relu", [b.Op("Add", [b.Op("MatMul", [x, b.Weight([16, 32])], "up"), b.Weight([32])])]);
        var down = b.Op("Add", [b.Op("MatMul", [hidden, b.Weight([32, 16])], "down"), b.Weight([16])]);
        var normed = b.Op("LayerNormalization", [b.Op("Add", [down, x]), b.Weight([16]), b.Weight([16])], attributes: Attribute("axis", -1));
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(17, normed), ChannelEquivalence.Settings(0.5));
        Assert.Equal(16, Decision(outcome, "up").Kept);
        Assert.True(Decision(outcome, "down").Frozen);
    }

    [Fact]
    public void Prune_ResizeAndPad_PassChannelsThrough()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var conv = b.Conv(x, 3, 8, name: "conv");
        var resized = b.Op("Resize", [conv, "", b.Weight([4], [1, 1, 2, 2])], attributes: new Onnx.Protobuf.AttributeProto { Name = "mode", Type = Onnx.Protobuf.AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("nearest") });
        var padded = b.Op("Pad", [resized, b.Ints(0, 0, 1, 1, 0, 0, 1, 1)]);
        var y = b.Conv(padded, 8, 2);
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, y), ChannelEquivalence.Settings(0.5));
        Assert.Equal(4, Decision(outcome, "conv").Kept);
    }

    [Fact]
    public void Prune_WeightSharedWithUnprunedLayer_CopiesItSoTheOtherLayerKeepsIt()
    {
        var b = new PruneGraphBuilder();
        var x = b.Input("x", 1, 3, 8, 8);
        var z = b.Input("z", 1, 8, 8, 8);
        var shared = b.Weight([4, 8, 3, 3]);
        var pruned = b.Op("Conv", [b.Conv(x, 3, 8, name: "conv"), shared], "reader", Attribute("pads", 1, 1, 1, 1));
        var whole = b.Op("Conv", [z, shared], "other", Attribute("pads", 1, 1, 1, 1));
        var outcome = ChannelEquivalence.PruneAndCompare(b.Build(13, pruned, whole), ChannelEquivalence.Settings(0.5));
        Assert.Equal([4, 4, 3, 3], Dims(outcome, "reader", 1));
        Assert.Equal([4, 8, 3, 3], Dims(outcome, "other", 1));
    }

    internal static ChannelGroupDecision Decision(ChannelPruneOutcome outcome, string layer) =>
        outcome.Selection.Decisions.Single(d => d.Layers.Contains(layer));

    internal static long[] Dims(ChannelPruneOutcome outcome, string nodeOrValue, int input, bool byOutput = false)
    {
        var graph = outcome.Model.Proto.Graph;
        var node = byOutput ? graph.Node.Single(n => n.Output.Contains(nodeOrValue)) : graph.Node.Single(n => n.Name == nodeOrValue);
        return [.. graph.Initializer.Single(t => t.Name == node.Input[input]).Dims];
    }
}
