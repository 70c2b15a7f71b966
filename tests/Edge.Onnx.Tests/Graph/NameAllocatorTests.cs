using Edge.Onnx.Graph;
using Edge.Onnx.Protobuf;

namespace Edge.Onnx.Tests.Graph;

public sealed class NameAllocatorTests
{
    [Fact]
    public void Allocate_FreeName_ReturnsItUnchanged()
    {
        var names = new NameAllocator(TestModels.AddRelu());

        Assert.Equal("scale", names.Allocate("scale"));
    }

    [Fact]
    public void Allocate_NameUsedInMainGraphOrSubgraph_AppendsFirstFreeSuffix()
    {
        var model = OnnxGraphTests.IfModel();
        model.Graph.Initializer.Add(TestModels.FloatTensor("W_1", [0f]));
        var names = new NameAllocator(model);

        Assert.Equal("W_2", names.Allocate("W"));
        Assert.Equal("Neg_out_1", names.Allocate("Neg_out")); // an output of the else branch
        Assert.Equal("if_1", names.Allocate("if")); // a node name
    }

    [Fact]
    public void Allocate_SameNameTwice_SecondGetsSuffix()
    {
        var names = new NameAllocator(TestModels.AddRelu());

        Assert.Equal(["q", "q_1", "q_2"], [names.Allocate("q"), names.Allocate("q"), names.Allocate("q")]);
    }

    [Fact]
    public void Constructor_ModelWithoutGraph_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new NameAllocator(new ModelProto()));
    }
}
