using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;
using Edge.Optimizer.Calibration;
using Edge.Optimizer.Passes.Quantize.Static;

namespace Edge.Optimizer.Tests.Passes.Quantize;

public sealed class SaturatingRangesTests
{
    [Fact]
    public void Narrow_TensorReadOnlyBySilu_ClipsLowerBoundAndKeepsUpper()
    {
        var graph = Graph(
            new NodeProto { OpType = "Sigmoid", Name = "s", Input = { "x" }, Output = { "sx" } },
            new NodeProto { OpType = "Mul", Name = "m", Input = { "sx", "x" }, Output = { "y" } });

        var ranges = SaturatingRanges.Narrow(graph, Ranges(("x", -120f, 22f), ("sx", 0f, 1f), ("y", -0.28f, 22f)), out var narrowed);

        Assert.Equal(new TensorRange(-SaturatingRanges.Limit, 22f), ranges["x"]);
        Assert.Equal(new TensorRange(0f, 1f), ranges["sx"]);
        Assert.Equal(new TensorRange(-0.28f, 22f), ranges["y"]);
        Assert.Equal(1, narrowed);
    }

    [Fact]
    public void Narrow_TensorReadOnlyBySigmoid_ClipsBothEnds()
    {
        var graph = Graph(new NodeProto { OpType = "Sigmoid", Name = "s", Input = { "x" }, Output = { "y" } });

        var ranges = SaturatingRanges.Narrow(graph, Ranges(("x", -30f, 40f)), out var narrowed);

        Assert.Equal(new TensorRange(-SaturatingRanges.Limit, SaturatingRanges.Limit), ranges["x"]);
        Assert.Equal(1, narrowed);
    }

    [Fact]
    public void Narrow_SiluInputAlsoReadElsewhere_KeepsCalibratedRange()
    {
        var graph = Graph(
            new NodeProto { OpType = "Sigmoid", Name = "s", Input = { "x" }, Output = { "sx" } },
            new NodeProto { OpType = "Mul", Name = "m", Input = { "x", "sx" }, Output = { "y" } },
            new NodeProto { OpType = "Add", Name = "a", Input = { "x", "y" }, Output = { "z" } });

        var ranges = SaturatingRanges.Narrow(graph, Ranges(("x", -120f, 22f)), out var narrowed);

        Assert.Equal(new TensorRange(-120f, 22f), ranges["x"]);
        Assert.Equal(0, narrowed);
    }

    [Fact]
    public void Narrow_MulWithSigmoidOfAnotherTensor_KeepsCalibratedRange()
    {
        // x * sigmoid(g) is a gate, not SiLU: x's negative values pass through unchanged.
        var graph = Graph(
            new NodeProto { OpType = "Sigmoid", Name = "s", Input = { "g" }, Output = { "sg" } },
            new NodeProto { OpType = "Sigmoid", Name = "t", Input = { "x" }, Output = { "sx" } },
            new NodeProto { OpType = "Mul", Name = "m", Input = { "x", "sg" }, Output = { "y" } });

        var ranges = SaturatingRanges.Narrow(graph, Ranges(("x", -120f, 22f)), out _);

        Assert.Equal(new TensorRange(-120f, 22f), ranges["x"]);
    }

    [Fact]
    public void Narrow_GraphOutputReadBySigmoid_KeepsCalibratedRange()
    {
        var graph = Graph(new NodeProto { OpType = "Sigmoid", Name = "s", Input = { "x" }, Output = { "y" } });
        graph.Proto.Output.Add(new ValueInfoProto { Name = "x" });

        var ranges = SaturatingRanges.Narrow(new OnnxGraph(graph.Proto), Ranges(("x", -30f, 40f)), out var narrowed);

        Assert.Equal(new TensorRange(-30f, 40f), ranges["x"]);
        Assert.Equal(0, narrowed);
    }

    private static OnnxGraph Graph(params NodeProto[] nodes)
    {
        var proto = new GraphProto { Name = "g" };
        proto.Node.Add(nodes);
        return new OnnxGraph(proto);
    }

    private static Dictionary<string, TensorRange> Ranges(params (string Name, float Min, float Max)[] ranges) =>
        ranges.ToDictionary(r => r.Name, r => new TensorRange(r.Min, r.Max), StringComparer.Ordinal);
}
