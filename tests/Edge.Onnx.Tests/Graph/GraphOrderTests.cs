using Edge.Onnx.Graph;

namespace Edge.Onnx.Tests.Graph;

public sealed class GraphOrderTests
{
    [Fact]
    public void Sort_NodeAddedBeforeItsProducer_PutsProducersFirst()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node.Insert(0, TestModels.Node("Neg", "neg", ["Y"], ["N"]));
        model.Graph.Output.Add(TestModels.FloatValue("N", 2, 3));

        GraphOrder.Sort(model.Graph);

        Assert.Equal(["add", "relu", "neg"], model.Graph.Node.Select(n => n.Name));
        Assert.Empty(OnnxModel.FromProto(model).Validate());
    }

    [Fact]
    public void Sort_Cycle_ThrowsNamingNodesAndLeavesGraphUnchanged()
    {
        var model = TestModels.AddRelu();
        model.Graph.Node[0].Input[0] = "Y";

        var error = Assert.Throws<OnnxModelException>(() => GraphOrder.Sort(model.Graph));

        Assert.Contains("'add' (Add) -> 'relu' (Relu) -> 'add' (Add)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["add", "relu"], model.Graph.Node.Select(n => n.Name));
    }
}
