using Edge.Onnx.Graph;

namespace Edge.Onnx.Tests.Graph;

public sealed class GraphCleanupTests
{
    [Fact]
    public void RemoveUnusedConstants_UnreadInitializerAndConstant_RemovesThemAndTheDeclaringInput()
    {
        var model = TestModels.AddRelu();
        model.Graph.Initializer.Add(TestModels.FloatTensor("old", [1f, 2f], 2));
        model.Graph.Input.Add(TestModels.FloatValue("old", 2));
        model.Graph.Node.Add(TestModels.Node("Constant", "unread", [], ["C"]));

        var removed = GraphCleanup.RemoveUnusedConstants(model.Graph);

        Assert.Equal(2, removed);
        Assert.Equal(["W"], model.Graph.Initializer.Select(i => i.Name));
        Assert.Equal(["X"], model.Graph.Input.Select(i => i.Name));
        Assert.Equal(["add", "relu"], model.Graph.Node.Select(n => n.Name));
    }

    [Fact]
    public void RemoveUnusedConstants_InitializerReadOnlyInsideSubgraph_IsKept()
    {
        var model = OnnxGraphTests.IfModel();
        var branch = model.Graph.Node.Single(n => n.OpType == "If").Attribute[0].G;
        branch.Node[0].Input[0] = "W";
        model.Graph.Node.RemoveAt(0); // nothing in the main graph reads W any more

        var removed = GraphCleanup.RemoveUnusedConstants(model.Graph);

        Assert.Equal(0, removed);
        Assert.Equal(["W"], model.Graph.Initializer.Select(i => i.Name));
    }
}
